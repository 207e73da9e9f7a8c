// The app's one API client, reading the token from the session.

import { currentToken } from '../auth/session';
import { ApiClient } from './client';

export const api = new ApiClient({ getToken: currentToken });
