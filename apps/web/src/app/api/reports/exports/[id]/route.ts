import { Readable } from "node:stream";
import { AppError, createApiContext, openReportExportDownload } from "@rantai/api";
import type { NextRequest } from "next/server";
import { readApiRequest } from "~/server/auth";
import { getServices } from "~/server/services";

/** HTTP status of the refusals a download can meet; anything else is a server error. */
const statusOf: Partial<Record<AppError["code"], number>> = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 404,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

/**
 * A finished report export, streamed from the database a piece at a time. Only its owner gets
 * it; anyone else gets the same 404 as for an id that does not exist.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^[1-9]\d{0,15}$/.test(id)) return new Response(null, { status: 404 });
  const ctx = await createApiContext(getServices(), await readApiRequest(request.headers));
  try {
    const file = await openReportExportDownload(ctx, Number(id));
    return new Response(Readable.toWeb(Readable.from(file.pieces)) as ReadableStream<Uint8Array>, {
      headers: {
        "content-type": file.contentType,
        "content-length": String(file.byteSize),
        "content-disposition": `attachment; filename="${file.fileName}"`,
        "cache-control": "private, no-store",
      },
    });
  } catch (error) {
    if (error instanceof AppError && statusOf[error.code]) {
      return new Response(null, { status: statusOf[error.code] });
    }
    throw error;
  }
}
