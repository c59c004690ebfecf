/** `base` (may carry a path prefix, e.g. `https://napi.jibit.ir/ide`) + `path` + query. */
export function vendorUrl(base: string, path: string, query: Record<string, string> = {}): URL {
  const url = new URL(path.replace(/^\/+/, ''), base.endsWith('/') ? base : `${base}/`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}
