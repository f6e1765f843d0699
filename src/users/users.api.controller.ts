import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { PageQuery } from '../common/pagination.js';
import { CreateUserDto, UpdateUserDto, UserListQuery } from './dto/user.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('organisation 组织')
@ApiBearerAuth()
@Controller('api/v1/users')
@Allow(Permission.User.Manage)
export class UsersApiController {
  constructor(private readonly users: UsersService) {}

  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto) {
    return this.users.create(actor, dto);
  }

  @Get()
  list(@CurrentActor() actor: Actor, @Query() page: PageQuery, @Query() filter: UserListQuery) {
    return this.users.list(actor, { ...filter, page: page.page, pageSize: page.pageSize });
  }

  @Get(':id')
  @InScope('user', 'params.id')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.users.get(actor, id);
  }

  /** The township confirms an account a village created or switched on again; until then it cannot log in. */
  @Post(':id/confirm')
  @Allow(Permission.User.Confirm)
  @InScope('user', 'params.id')
  @HttpCode(200)
  confirm(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.users.confirm(actor, id);
  }

  @Patch(':id')
  @InScope('user', 'params.id')
  update(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: UpdateUserDto) {
    return this.users.update(actor, id, dto);
  }
}
