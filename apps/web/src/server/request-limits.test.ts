import { describe, expect, it } from "vitest";
import { describeJsonTooDeep, measureJsonDepth, readBodyWithLimit } from "./request-limits";

/** A stream of `count` chunks of `size` bytes that records how many chunks were pulled. */
function countingStream(count: number, size: number) {
  const pulled = { chunks: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled.chunks === count) return controller.close();
        pulled.chunks++;
        controller.enqueue(new Uint8Array(size).fill(0x61));
      },
      cancel() {
        pulled.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled };
}

describe("readBodyWithLimit", () => {
  it("returns the whole body when it fits", async () => {
    const { stream } = countingStream(4, 1000);
    const result = await readBodyWithLimit(stream, 4000);
    expect(result.ok && result.bytes.byteLength).toBe(4000);
  });

  it("stops reading and cancels the stream as soon as the limit is passed", async () => {
    // 200 MiB offered in 64 KiB chunks; only the chunks up to the 1 MiB limit are pulled.
    const { stream, pulled } = countingStream(3200, 64 * 1024);
    const result = await readBodyWithLimit(stream, 1024 * 1024);
    expect(result).toEqual({ ok: false, reason: "too-large" });
    expect(pulled.chunks).toBe(17);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(pulled.cancelled).toBe(true);
  });

  it("treats a missing body as empty", async () => {
    const result = await readBodyWithLimit(null);
    expect(result.ok && result.bytes.byteLength).toBe(0);
  });
});

describe("measureJsonDepth", () => {
  it("counts nested arrays and objects", () => {
    expect(measureJsonDepth('{"0":{"json":{"ids":[1,2]},"meta":{"values":{"at":["Date"]}}}}')).toBe(5);
    expect(measureJsonDepth("42")).toBe(0);
  });

  it("ignores brackets inside strings, including escaped quotes", () => {
    expect(measureJsonDepth('{"a":"[[[[{{{{","b":"\\"[[[["}')).toBe(1);
  });

  it("stops early once the limit is passed, without recursion, on very deep input", () => {
    const deep = `${"[".repeat(500_000)}${"]".repeat(500_000)}`;
    expect(measureJsonDepth(deep, 32)).toBe(33);
    expect(describeJsonTooDeep(deep, 32)).toMatch(/at most 32 levels/);
  });

  it("accepts a depth exactly at the limit", () => {
    expect(describeJsonTooDeep(`${"[".repeat(32)}${"]".repeat(32)}`, 32)).toBeNull();
  });
});
