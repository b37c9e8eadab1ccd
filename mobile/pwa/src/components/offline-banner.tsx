/** Shown while offline: reads come from what was saved, and every change is disabled (never queued). */
export function OfflineBanner({ online }: { online: boolean }) {
  if (online) return null;
  return (
    <div className="offline" role="status" aria-live="polite">
      <strong>Offline.</strong> Showing saved data; changes are disabled until you are back online.
    </div>
  );
}

/** Under a list or detail answered from the service worker's cache. */
export function CachedNote({ cachedAt }: { cachedAt: string | undefined }) {
  if (!cachedAt) return null;
  return (
    <p className="cached" role="note">
      Saved copy from {new Date(cachedAt).toLocaleString()}.
    </p>
  );
}
