"""Draws the app's mark (public/favicon.svg: a blue rounded square with a white check) as the
PNG icons the web app manifest names: 192 and 512 px, and a 512 px maskable one (full-bleed
background, the check inside the central 80% safe zone). Run once when the mark changes:
`python3 scripts/icons.py public`. Standard library only (zlib), 4x4 supersampling."""

import math
import struct
import sys
import zlib

BLUE = (0x2F, 0x6F, 0xDF)
WHITE = (0xFF, 0xFF, 0xFF)
# The check of favicon.svg, in its 32-unit box, and its stroke width.
CHECK = [(9.0, 16.5), (13.5, 21.0), (23.0, 11.0)]
STROKE = 3.2


def segment_distance(p, a, b):
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def in_rounded_square(x, y, radius):
    cx = min(max(x, radius), 32 - radius)
    cy = min(max(y, radius), 32 - radius)
    return math.hypot(x - cx, y - cy) <= radius


def shade(x, y, maskable):
    """The colour at (x, y) of the 32-unit box, or None outside the mark."""
    if maskable:
        # Scale the check about the centre so it sits well inside the safe zone.
        x, y = 16 + (x - 16) / 0.72, 16 + (y - 16) / 0.72
    elif not in_rounded_square(x, y, 7.0):
        return None
    near = min(segment_distance((x, y), a, b) for a, b in zip(CHECK, CHECK[1:]))
    return WHITE if near <= STROKE / 2 else BLUE


def render(size, maskable):
    rows = []
    n = 4
    for j in range(size):
        row = bytearray([0])  # filter: none
        for i in range(size):
            acc = [0, 0, 0, 0]
            for sj in range(n):
                for si in range(n):
                    x = (i + (si + 0.5) / n) * 32 / size
                    y = (j + (sj + 0.5) / n) * 32 / size
                    colour = shade(x, y, maskable)
                    if colour:
                        acc[0] += colour[0]
                        acc[1] += colour[1]
                        acc[2] += colour[2]
                        acc[3] += 255
            alpha = acc[3] // (n * n)
            covered = max(1, acc[3] // 255)
            row += bytes([acc[0] // covered, acc[1] // covered, acc[2] // covered, alpha])
        rows.append(bytes(row))
    return png(size, b"".join(rows))


def png(size, raw):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "public"
    for name, size, maskable in [
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("icon-maskable-512.png", 512, True),
    ]:
        with open(f"{out}/{name}", "wb") as f:
            f.write(render(size, maskable))
        print(name)
