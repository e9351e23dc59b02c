import type { AliasTable } from "../src/check/content-config.js";
import type { Logger, MeiliClient } from "../src/index.js";
import type { ApiOptions } from "./options.js";
import type { LiveRelatedIndex } from "./related-refresher.js";

/** What every route handler works with. */
export interface ApiContext {
  /** A client holding a search-scoped key only. */
  readonly client: MeiliClient;
  readonly indexUid: string;
  readonly options: ApiOptions;
  readonly log: Logger;
  /** The related-posts index of `indexUid`, kept in step with it (`GET /posts/:id/related`, `POST /related`). */
  readonly related: LiveRelatedIndex;
  /** The aliases the content folder declares now (see `ApiOptions.contentDir`). */
  readonly aliases: () => AliasTable;
}
