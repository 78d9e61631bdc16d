import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { StowRsService } from './stow-rs.service';

/** DICOMweb STOW-RS: POST /dicomweb/studies and /dicomweb/studies/{StudyInstanceUID}. */
@Controller('dicomweb')
export class StowRsController {
  constructor(private readonly stow: StowRsService) {}

  @Post(['studies', 'studies/:study'])
  async storeInstances(@Req() req: Request, @Res() res: Response, @Param('study') study: string | undefined): Promise<void> {
    const result = await this.stow.store({
      contentType: req.headers['content-type'],
      contentLength: req.headers['content-length'],
      body: req,
      studyInstanceUid: study,
      peerAddress: req.socket.remoteAddress,
    });
    res.status(result.status).type('application/dicom+json').send(JSON.stringify(result.body));
  }
}
