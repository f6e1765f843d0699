import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ScopeGuard } from '../access/scope.guard.js';
import { AuthApiController } from './auth.api.controller.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { LoginThrottle } from './login-throttle.js';
import { SessionsService } from './sessions.service.js';

/** Logins, sessions, tokens, and the two global guards: authentication/roles/CSRF first, then scope. */
@Global()
@Module({
  controllers: [AuthApiController, AuthController],
  providers: [
    AuthService,
    SessionsService,
    LoginThrottle,
    { provide: APP_GUARD, useClass: AuthGuard },
    ScopeGuard,
    { provide: APP_GUARD, useExisting: ScopeGuard },
  ],
  exports: [AuthService, SessionsService, ScopeGuard, LoginThrottle],
})
export class AuthModule {}
