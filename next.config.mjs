/** @type {import('next').NextConfig} */
const nextConfig = {
  // Separate build dirs let parallel test runs build side by side.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  serverExternalPackages: ['better-sqlite3', 'pg', 'nodemailer'],
  poweredByHeader: false,
  reactStrictMode: true,
  typescript: { ignoreBuildErrors: false },
  experimental: { authInterrupts: true },
};
export default nextConfig;
