import type { SideBySide } from './phases/side-by-side.js';
import type { ProfileLine } from './profiles.js';
import type { GrantIndexSizes, KeyFamily } from './redis-memory.js';
import type { RunReport } from './run-report.js';

/** Everything a benchmark run measured; `--json` writes it as it is. */
export interface Results {
  machine: Record<string, unknown>;
  settings: Record<string, unknown>;
  memory?: MemoryResults;
  firstSignIns?: RunReport;
  signIn?: PeakAndHalf;
  /** Sign-ins and bare in-memory refresh grants in alternating slices: the normalised figure. */
  signInSideBySide?: SideBySide;
  /** Returning sign-ins with a passkey (no SMS). */
  passkey?: PeakAndHalf;
  refresh?: PeakAndHalf & {
    bytesPerRefresh: number;
    keptBytesPerRefresh: number;
    grantIndex: GrantIndexSizes;
  };
  bare?: PeakAndHalf;
  /** Bare oidc-provider on Redis (its example adapter). */
  bareRedis?: PeakAndHalf;
  code?: { redis: RunReport; memory: RunReport };
  profiles?: Record<string, ProfileLine[]>;
}

/** A closed-loop run for the peak, then an open loop at half of it for latency. */
export interface PeakAndHalf {
  peak: RunReport;
  half: RunReport;
}

export interface MemoryResults {
  users: number;
  usedMemoryBaseline: number;
  bytesPerAccount: number;
  bytesPerUserRightAfterSignIn: number;
  bytesPerSignedInUser: number;
  residentBytesPerUserByMemoryUsage: number;
  breakdown: KeyFamily[];
}
