/**
 * Build of the PWA into `dist/` (served by the edge Worker as static assets from the same origin). Screens are
 * split per route; the service worker is compiled from `src/sw.ts` (injectManifest) so it can handle push.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { promptTemplates } from './plugins/prompt-templates.js';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  plugins: [
    react(),
    promptTemplates(join(here, '../../prompts')),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: {
        name: 'autocode',
        short_name: 'autocode',
        description: 'Submit commands, review and approve pull requests, stop the system.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#0b57d0',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        // Classic (not module) worker: module service workers are missing on older iOS.
        rollupFormat: 'iife',
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
      },
      devOptions: { enabled: false },
    }),
  ],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // Inlined assets would become data: URLs; keep every asset a file so the CSP can stay `'self'`.
    assetsInlineLimit: 0,
  },
});
