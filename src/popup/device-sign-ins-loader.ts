import { laterModule } from '../ui/later-module';

/** The device sign-ins in progress (DeviceSignIns.tsx): fetched after the popup paints, to keep its first load in budget. */
export const deviceSignIns = laterModule(() => import('./DeviceSignIns'));
