import { Router } from 'express';
import type { AppConfig } from '../config.js';
import type { Services } from '../services/index.js';
import { GOOGLE_CONNECT_PATH, googleOAuthRoutes, googleOutcomeUrl } from '../sources/google-drive/google-oauth.routes.js';

/** The Google Drive connect flow, or, when Drive is not configured here, a clear answer instead of a 404. */
export function googleRoutes(services: Services, config: AppConfig): Router {
  const { google } = services;
  if (!google) {
    const router = Router();
    router.get(GOOGLE_CONNECT_PATH, (_req, res) => res.redirect(302, googleOutcomeUrl('not_configured')));
    return router;
  }
  return googleOAuthRoutes({
    oauth: google.oauth,
    publicUrl: (req) => config.http.publicUrl ?? `${req.protocol}://${req.get('host')}`,
    encryptToken: google.cipher.encrypt,
    saveSource: (userId, account) => services.sources.addGoogleDrive(userId, account),
  });
}
