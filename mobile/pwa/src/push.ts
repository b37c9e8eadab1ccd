/**
 * Web Push on/off: subscribe through the service worker's PushManager with the edge's VAPID public key and
 * register the subscription with the edge; off (and sign-out) removes it on both sides. The edge sends
 * "PR ready", "job failed" and "approval requested" with aes128gcm-encrypted payloads.
 */
import type { EdgeApi } from './api/client.js';
import type { PushSubscriptionBody } from './api/types.js';

export function pushSupported(): boolean {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64url.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export async function currentSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const reg = await navigator.serviceWorker.getRegistration();
  return (await reg?.pushManager.getSubscription()) ?? null;
}

export async function enablePush(api: EdgeApi, vapidPublicKey: string): Promise<void> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted')
    throw new Error('notifications are blocked for this site in the browser settings');
  const reg = await navigator.serviceWorker.ready;
  const sub =
    (await reg.pushManager.getSubscription()) ??
    (await reg.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: keyBytes(vapidPublicKey),
    }));
  await api.subscribePush(sub.toJSON() as PushSubscriptionBody);
}

export async function disablePush(api: EdgeApi): Promise<void> {
  const sub = await currentSubscription();
  if (!sub) return;
  await api.unsubscribePush(sub.endpoint);
  await sub.unsubscribe();
}

/** On sign-out: this device should stop receiving the user's notifications (best effort, bounded time). */
export async function dropPushSubscription(accessToken: string): Promise<void> {
  const sub = await currentSubscription();
  if (!sub) return;
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), 3000);
  try {
    await fetch('/v1/push/subscriptions', {
      method: 'DELETE',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint: sub.endpoint }),
      signal: ctl.signal,
    });
  } finally {
    clearTimeout(timer);
    await sub.unsubscribe();
  }
}
