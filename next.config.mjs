/** @type {import('next').NextConfig} */
const nextConfig = {
  // Separate build dirs let parallel test runs build side by side.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  serverExternalPackages: ['better-sqlite3', 'pg', 'nodemailer', 'mjml'],
  poweredByHeader: false,
  reactStrictMode: true,
  // `npm test` runs tsc over the whole project (tests included) as its own step; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  experimental: { authInterrupts: true },
};
export default nextConfig;
