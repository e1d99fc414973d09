/**
 * Minimal TIFF directory reader. sharp reports one density per image, but standard-mode
 * faxes are 204×98 dpi, so each page's X and Y resolution must be read separately or the
 * page comes out squashed to half height.
 */
export type TiffPageResolution = { xDpi: number; yDpi: number } | null;
export type TiffPageSize = { width: number; height: number } | null;

const TAG_X_RESOLUTION = 282;
const TAG_Y_RESOLUTION = 283;
const TAG_RESOLUTION_UNIT = 296;
const TAG_IMAGE_WIDTH = 256;
const TAG_IMAGE_LENGTH = 257;
const TYPE_SHORT = 3;
const TYPE_LONG = 4;
const TYPE_RATIONAL = 5;
const MAX_DIRECTORIES = 10_000;

/** Resolution of every page (directory) in a classic TIFF; null entries where unknown. */
export function readTiffResolutions(bytes: Uint8Array): TiffPageResolution[] | null {
  return readTiffDirectories(bytes)?.map((d) => d.resolution) ?? null;
}

/** Declared width and height of every page, read before anything is decoded (pixel-bomb checks). */
export function readTiffPageSizes(bytes: Uint8Array): TiffPageSize[] | null {
  return readTiffDirectories(bytes)?.map((d) => d.size) ?? null;
}

type TiffDirectory = { resolution: TiffPageResolution; size: TiffPageSize };

function readTiffDirectories(bytes: Uint8Array): TiffDirectory[] | null {
  if (bytes.length < 8) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const order = view.getUint16(0, false);
  if (order !== 0x4949 && order !== 0x4d4d) return null;
  const le = order === 0x4949;
  if (view.getUint16(2, le) !== 42) return null; // BigTIFF (43) is not handled here
  const pages: TiffDirectory[] = [];
  const seen = new Set<number>();
  let offset = view.getUint32(4, le);
  while (offset !== 0 && pages.length < MAX_DIRECTORIES) {
    if (seen.has(offset) || offset + 2 > bytes.length) break; // loop or truncation
    seen.add(offset);
    const count = view.getUint16(offset, le);
    const end = offset + 2 + count * 12;
    if (end + 4 > bytes.length) break;
    let x: number | null = null;
    let y: number | null = null;
    let unit = 2; // TIFF default: inch
    let width: number | null = null;
    let height: number | null = null;
    for (let i = 0; i < count; i++) {
      const entry = offset + 2 + i * 12;
      const tag = view.getUint16(entry, le);
      const type = view.getUint16(entry + 2, le);
      if (tag === TAG_RESOLUTION_UNIT) unit = view.getUint16(entry + 8, le);
      if ((tag === TAG_IMAGE_WIDTH || tag === TAG_IMAGE_LENGTH) && (type === TYPE_SHORT || type === TYPE_LONG)) {
        const v = type === TYPE_SHORT ? view.getUint16(entry + 8, le) : view.getUint32(entry + 8, le);
        if (tag === TAG_IMAGE_WIDTH) width = v;
        else height = v;
      }
      if ((tag === TAG_X_RESOLUTION || tag === TAG_Y_RESOLUTION) && type === TYPE_RATIONAL) {
        const at = view.getUint32(entry + 8, le);
        if (at + 8 > bytes.length) continue;
        const den = view.getUint32(at + 4, le);
        const value = den === 0 ? null : view.getUint32(at, le) / den;
        if (tag === TAG_X_RESOLUTION) x = value;
        else y = value;
      }
    }
    pages.push({ resolution: toDpi(x, y, unit), size: width !== null && height !== null ? { width, height } : null });
    offset = view.getUint32(end, le);
  }
  return pages;
}

function toDpi(x: number | null, y: number | null, unit: number): TiffPageResolution {
  if (x === null || y === null || unit === 1) return null;
  const factor = unit === 3 ? 2.54 : 1;
  return { xDpi: x * factor, yDpi: y * factor };
}
