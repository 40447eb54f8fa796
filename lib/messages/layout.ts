import { z } from 'zod';

/** The workspace's frame around every message: header, brand colour, logo and a footer line. */
export const workspaceLayoutSchema = z.strictObject({
  headerText: z.string().trim().max(200),
  brandColor: z
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour like #2952cc'),
  logoUrl: z
    .string()
    .trim()
    .max(2000)
    .refine((value) => value === '' || /^https:\/\//i.test(value), 'Use an https address (or leave empty)'),
  footerText: z.string().trim().max(1000),
});
export type WorkspaceLayout = z.infer<typeof workspaceLayoutSchema>;

export const DEFAULT_LAYOUT: WorkspaceLayout = {
  headerText: 'Tarmo Village Shop',
  brandColor: '#2952cc',
  logoUrl: '',
  footerText: '',
};
