import { Controller, Get, Post, Query, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiExcludeEndpoint, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { chinaTime } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { REPLAY_HEADER } from '../common/idempotency.js';
import { redirectWithFlash, submitForm } from '../common/forms.js';
import { TolerantUpload, uploadRefusal } from '../common/upload.interceptor.js';
import {
  DUPLICATE_CHOICES,
  DuplicateChoice,
  HouseholdSheetsService,
  ImportResult,
  MAX_PINS,
} from './household-sheets.service.js';
import { templateCsv, templateXlsx } from './import-template.js';
import { toCsv, toXlsx } from './spreadsheet.js';

const SheetUpload = TolerantUpload('file', 5 * 1024 * 1024, '文件不能超过 5 MB');

function theFile(req: Request, file?: { buffer: Buffer }): Buffer {
  const refusal = uploadRefusal(req);
  if (refusal) throw refusal;
  if (!file) throw DomainError.validation({ file: '请选择要上传的文件（.xlsx 或 .csv）' });
  return file.buffer;
}

const importPage = () => ({ title: '导入农户', kind: 'households', maxPins: MAX_PINS });

/** What to do with rows like a household the village has: the form's radio buttons, the API's `?duplicates=`. */
function duplicateChoice(given?: unknown): DuplicateChoice {
  if (given === undefined || given === '') return 'refuse';
  if (!DUPLICATE_CHOICES.includes(given as DuplicateChoice))
    throw DomainError.validation({ duplicates: '重复行的处理方式应为 refuse、skip 或 add' });
  return given as DuplicateChoice;
}

const villageIdOf = (actor: Actor, given?: string) => {
  const id = Number(given ?? actor.villageId);
  if (!Number.isInteger(id) || id <= 0) throw DomainError.validation({ villageId: '请指定村' });
  return id;
};

/**
 * 农户名册 as spreadsheets: import (all rows or none), export, and 期初积分. Pages and API share the service; these
 * routes are registered before `/households/:id` so that `import` is never taken for an id.
 */
@ApiTags('households 农户')
@Controller()
export class HouseholdSheetsController {
  constructor(private readonly sheets: HouseholdSheetsService) {}

  @Get('households/import')
  @ApiExcludeEndpoint()
  @Allow(Permission.Household.Import)
  importPage(@Res() res: Response) {
    res.render('households/import', importPage());
  }

  /** The import's template, the header row the importer reads and one example row: CSV or .xlsx. */
  @Get(['households/import/template.csv', 'households/import/template.xlsx'])
  @ApiExcludeEndpoint()
  @Allow(Permission.Household.Import)
  async importTemplate(@Req() req: Request, @Res() res: Response) {
    if (req.path.endsWith('.csv'))
      return res.type('text/csv; charset=utf-8').attachment('导入农户模板.csv').send(templateCsv());
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .attachment('导入农户模板.xlsx')
      .send(await templateXlsx());
  }

  @Post('households/import')
  @ApiExcludeEndpoint()
  @Allow(Permission.Household.Import)
  @UseInterceptors(SheetUpload)
  async importForm(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @UploadedFile() file?: { buffer: Buffer },
  ) {
    const form = { view: 'households/import', context: importPage, values: {} };
    let result: ImportResult;
    try {
      result = await this.sheets.importHouseholds(
        actor,
        villageIdOf(actor),
        theFile(req, file),
        duplicateChoice((req.body as { duplicates?: unknown } | undefined)?.duplicates),
      );
    } catch (error) {
      // A refusal brings the form back with the row list, as every form does; anything else goes on to the filter.
      return submitForm(res, form, () => Promise.reject(error));
    }
    const created = result.households;
    const range = `${created[0].code} 至 ${created[created.length - 1].code}`;
    if (result.alreadyImportedAt) {
      res.setHeader(REPLAY_HEADER, 'true');
      return redirectWithFlash(
        res,
        '/households',
        `这个文件已在 ${chinaTime(result.alreadyImportedAt)} 导入过（${created.length} 户，${range}），这次没有重复导入。`,
      );
    }
    const skippedNote = result.skipped ? `跳过了 ${result.skipped} 行本村已有的农户。` : '';
    const withPins = created.filter((h) => h.pin !== undefined);
    if (withPins.length === 0) {
      const noPin = created.filter((h) => !h.canLogIn).length;
      const pinNote = noPin ? `其中 ${noPin} 户还没有密码(PIN)，请在各户页面设置，设置前村民不能登录。` : '';
      return redirectWithFlash(
        res,
        '/households',
        `已导入 ${created.length} 户（${range}）。${skippedNote}${pinNote}`,
      );
    }
    // Made-up PINs are shown on this answer only (kept nowhere in clear): no redirect, no cache.
    res.status(201).setHeader('Cache-Control', 'no-store');
    res.render('households/import-result', {
      title: '导入结果',
      count: created.length,
      range,
      skippedNote,
      households: withPins,
    });
  }

  @Get('households/opening')
  @ApiExcludeEndpoint()
  @Allow(Permission.Passbook.SetOpening)
  openingPage(@Res() res: Response) {
    res.render('households/import', { title: '导入期初积分', kind: 'opening' });
  }

  @Post('households/opening')
  @ApiExcludeEndpoint()
  @Allow(Permission.Passbook.SetOpening)
  @UseInterceptors(SheetUpload)
  async openingForm(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @UploadedFile() file?: { buffer: Buffer },
  ) {
    await submitForm(
      res,
      { view: 'households/import', context: () => ({ title: '导入期初积分', kind: 'opening' }), values: {} },
      async () => {
        const result = await this.sheets.importOpening(actor, villageIdOf(actor), theFile(req, file));
        return {
          redirect: '/households',
          message: `已为 ${result.entries} 户登记期初积分，共 ${result.total} 分，待另一位村两委成员审核、公示期满后入账`,
        };
      },
    );
  }

  @Get(['households/export.csv', 'api/v1/households/export.csv'])
  @ApiBearerAuth()
  @ApiQuery({ name: 'villageId', required: false })
  @Allow(Permission.Household.Read)
  async exportCsv(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Query('villageId') villageId?: string,
  ) {
    const rows = await this.sheets.exportRows(actor, villageIdOf(actor, villageId));
    res.type('text/csv; charset=utf-8').attachment('households.csv').send(toCsv(rows));
  }

  @Get(['households/export.xlsx', 'api/v1/households/export.xlsx'])
  @ApiBearerAuth()
  @ApiQuery({ name: 'villageId', required: false })
  @Allow(Permission.Household.Read)
  async exportXlsx(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Query('villageId') villageId?: string,
  ) {
    const rows = await this.sheets.exportRows(actor, villageIdOf(actor, villageId));
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .attachment('households.xlsx')
      .send(await toXlsx('农户名册', rows));
  }

  @Post('api/v1/households/import')
  @ApiBearerAuth()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @Allow(Permission.Household.Import)
  @InScope('village', 'query.villageId')
  @UseInterceptors(SheetUpload)
  async importApi(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Query('villageId') villageId: string,
    @Query('duplicates') duplicates?: string,
    @UploadedFile() file?: { buffer: Buffer },
  ) {
    const result = await this.sheets.importHouseholds(
      actor,
      Number(villageId),
      theFile(req, file),
      duplicateChoice(duplicates),
    );
    if (result.alreadyImportedAt) {
      // A repeat creates nothing: the first import's households, without the PINs it showed once.
      res.status(200).setHeader(REPLAY_HEADER, 'true');
      return {
        created: 0,
        alreadyImported: true,
        importedAt: result.alreadyImportedAt,
        households: result.households,
      };
    }
    return {
      created: result.households.length,
      ...(result.skipped ? { skipped: result.skipped } : {}),
      households: result.households,
    };
  }

  @Post('api/v1/households/opening')
  @ApiBearerAuth()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @Allow(Permission.Passbook.SetOpening)
  @InScope('village', 'query.villageId')
  @UseInterceptors(SheetUpload)
  async openingApi(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Query('villageId') villageId: string,
    @UploadedFile() file?: { buffer: Buffer },
  ) {
    return this.sheets.importOpening(actor, Number(villageId), theFile(req, file));
  }
}
