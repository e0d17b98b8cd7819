import { laterModule } from '../ui/later-module';

/** Details (AccountDetails.tsx and the JWT decoder): one chunk fetched after the popup paints. */
export const accountDetails = laterModule(() => import('./AccountDetails'));
