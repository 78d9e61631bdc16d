import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'ecggw:public-route';

/** Marks the one /api route AuthGuard lets through without credentials: the login. */
export const PublicRoute = (): MethodDecorator => SetMetadata(PUBLIC_ROUTE, true);
