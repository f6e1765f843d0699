import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { can, Permission } from '../access/permissions.js';
import { CurrentActor, Public } from '../auth/decorators.js';
import { DomainError } from '../common/domain-error.js';
import { submitForm } from '../common/forms.js';
import { trim } from '../common/transforms.js';
import { parseForm } from '../common/validation.js';
import { HouseholdsService } from '../households/households.service.js';
import { verifyQr } from './certificate-code.js';
import { yearStanding } from './certificates.presenter.js';
import { certificateView, CertificatesService, VerifyStatus } from './certificates.service.js';

export class IssueCertificateDto {
  @IsOptional()
  @Transform(trim)
  @IsString({ message: '用途应为文字' })
  @MaxLength(60, { message: '用途最多 60 个字' })
  purpose?: string;
}

export class RevokeCertificateDto {
  @Transform(trim)
  @IsString({ message: '请写明撤销原因' })
  @IsNotEmpty({ message: '请写明撤销原因' })
  @MaxLength(200, { message: '原因最多 200 个字' })
  reason: string;
}

function withStanding<T extends Parameters<typeof yearStanding>[0]>(c: T) {
  return { ...c, yearStanding: yearStanding(c) };
}

const ANSWERS: Record<VerifyStatus, string> = {
  VALID: '真实有效',
  REVOKED: '已被撤销',
  ALTERED: '内容被改动，无效',
  NOT_FOUND: '查无此证明',
};

/** 积分证明 pages and API; `/verify/:code` is public, for the bank. */
@ApiTags('certificates 积分证明')
@ApiBearerAuth()
@Controller()
export class CertificatesController {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly households: HouseholdsService,
  ) {}

  @Get('households/:id/certificates')
  @ApiExcludeEndpoint()
  @Allow(Permission.CreditCertificate.Read)
  @InScope('household', 'params.id')
  async list(@CurrentActor() actor: Actor, @Res() res: Response, @Param('id', ParseIntPipe) id: number) {
    res.render('certificates/list', await this.listContext(actor, id));
  }

  @Post('households/:id/certificates')
  @ApiExcludeEndpoint()
  @Allow(Permission.CreditCertificate.Issue)
  @InScope('household', 'params.id')
  async issuePage(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    await submitForm(
      res,
      { view: 'certificates/list', context: () => this.listContext(actor, id), values: body },
      async () => {
        const dto = await parseForm(IssueCertificateDto, { purpose: body.purpose });
        const certificate = await this.certificates.issue(actor, id, dto.purpose);
        return {
          redirect: `/certificates/${certificate.id}`,
          message: `已开具积分证明，核验码 ${certificate.code}`,
        };
      },
    );
  }

  @Get('certificates/:id')
  @ApiExcludeEndpoint()
  @Allow(Permission.CreditCertificate.Read)
  @InScope('certificate', 'params.id')
  async show(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
  ) {
    res.render('certificates/certificate', await this.showContext(actor, req, id));
  }

  @Post('certificates/:id/revoke')
  @ApiExcludeEndpoint()
  @Allow(Permission.CreditCertificate.Revoke)
  @InScope('certificate', 'params.id')
  async revokePage(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    await submitForm(
      res,
      { view: 'certificates/certificate', context: () => this.showContext(actor, req, id), values: body },
      async () => {
        const dto = await parseForm(RevokeCertificateDto, { reason: body.reason });
        await this.certificates.revoke(actor, id, dto.reason);
        return { redirect: `/certificates/${id}`, message: '已撤销这份积分证明' };
      },
    );
  }

  @Public()
  @Get(['verify', 'verify/:code'])
  @ApiExcludeEndpoint()
  async verifyPage(@Res() res: Response, @Param('code') param?: string, @Query('code') query?: string) {
    const typed = (param ?? query ?? '').trim();
    if (!typed) return res.render('certificates/verify', { title: '核验积分证明' });
    const { status, certificate } = await this.certificates.verify(typed);
    res.status(status === 'NOT_FOUND' ? 404 : 200).render('certificates/verify', {
      title: '核验积分证明',
      typed,
      status,
      answer: ANSWERS[status],
      valid: status === 'VALID',
      c: certificate && status !== 'ALTERED' ? withStanding(certificateView(certificate)) : null,
    });
  }

  @Post('api/v1/households/:id/certificates')
  @Allow(Permission.CreditCertificate.Issue)
  @InScope('household', 'params.id')
  async issue(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: IssueCertificateDto,
  ) {
    return certificateView(await this.certificates.issue(actor, id, dto.purpose));
  }

  @Public()
  @Get('api/v1/certificates/verify/:code')
  async verify(@Param('code') code: string) {
    const { status, certificate } = await this.certificates.verify(code);
    if (status === 'NOT_FOUND') throw DomainError.notFound('积分证明');
    return { status, certificate: certificate && status !== 'ALTERED' ? certificateView(certificate) : null };
  }

  @Post('api/v1/certificates/:id/revoke')
  @HttpCode(200)
  @Allow(Permission.CreditCertificate.Revoke)
  @InScope('certificate', 'params.id')
  async revoke(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: RevokeCertificateDto,
  ) {
    return certificateView(await this.certificates.revoke(actor, id, dto.reason));
  }

  private async listContext(actor: Actor, householdId: number) {
    const household = await this.households.get(actor, householdId);
    const certificates = await this.certificates.forHousehold(householdId);
    return {
      title: `${household.headName}家的积分证明`,
      household,
      certificates: certificates.map(certificateView),
      canIssue: can(actor, Permission.CreditCertificate.Issue),
    };
  }

  private async showContext(actor: Actor, req: Request, id: number) {
    const c = withStanding(certificateView(await this.certificates.get(actor, id)));
    const verifyUrl = `${req.protocol}://${req.get('host')}/verify/${c.code}`;
    return {
      title: `积分证明 ${c.code}`,
      c,
      starText: '★'.repeat(c.stars),
      verifyUrl,
      qr: await verifyQr(verifyUrl),
      canRevoke: can(actor, Permission.CreditCertificate.Revoke) && c.status === 'ISSUED',
    };
  }
}
