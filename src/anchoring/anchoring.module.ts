import { Module } from '@nestjs/common';
import { ChainAnchorService } from './chain-anchor.service';

/** The decision log anchored outside the database: signed checkpoints of every call's chain head. */
@Module({ providers: [ChainAnchorService], exports: [ChainAnchorService] })
export class AnchoringModule {}
