import { photoContentTypes } from "@rantai/db";

export type PhotoContentType = (typeof photoContentTypes)[number];
export { photoContentTypes };

/** How many leading bytes `detectImageType` needs. */
export const imageSignatureLength = 12;

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  signature.every((value, index) => bytes[offset + index] === value);

/**
 * The image type a file's first bytes show (its "magic number"), whatever name or type it was
 * sent with; null for anything else. JPEG: FF D8 FF; PNG: its 8-byte signature; WebP: a RIFF
 * container whose form type is WEBP.
 */
export function detectImageType(bytes: Uint8Array): PhotoContentType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8))
    return "image/webp";
  return null;
}
