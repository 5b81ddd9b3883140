// qr.js draws a QR code (ISO/IEC 18004) in the page itself: the otpauth://
// URL it shows holds the TOTP secret, so it must never be sent to a
// third-party QR service or a CDN. Byte mode, error correction level M,
// versions 1 to 10 (up to 213 bytes, more than an otpauth URL needs). It
// follows the structure of Project Nayuki's QR Code generator (MIT).

// Per version 1..10 at level M: error correction codewords per block, and
// the number of blocks.
const eccPerBlock = [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26];
const blockCount = [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5];
const levelMBits = 0; // format bits of level M

// qrMatrix returns the modules of the QR code of text, rows of booleans
// (true is dark), without the quiet zone.
export function qrMatrix(text) {
  const data = new TextEncoder().encode(text);
  let version = 1;
  for (; version <= 10; version++) {
    const lengthBits = version < 10 ? 8 : 16;
    if (4 + lengthBits + data.length * 8 <= dataCodewords(version) * 8) break;
  }
  if (version > 10) throw new Error("text too long for this QR encoder");
  const lengthBits = version < 10 ? 8 : 16;
  const bits = [];
  const push = (value, n) => {
    for (let i = n - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  push(4, 4); // byte mode
  push(data.length, lengthBits);
  for (const b of data) push(b, 8);
  const capacity = dataCodewords(version) * 8;
  push(0, Math.min(4, capacity - bits.length)); // terminator
  push(0, (8 - (bits.length % 8)) % 8);
  for (let pad = 0xec; bits.length < capacity; pad ^= 0xec ^ 0x11) push(pad, 8);
  const codewords = [];
  for (let i = 0; i < bits.length; i += 8) {
    codewords.push(bits.slice(i, i + 8).reduce((acc, b) => (acc << 1) | b, 0));
  }

  const size = version * 4 + 17;
  const modules = Array.from({ length: size }, () => new Array(size).fill(false));
  const isFunction = Array.from({ length: size }, () => new Array(size).fill(false));
  const set = (x, y, dark) => {
    modules[y][x] = dark;
    isFunction[y][x] = true;
  };
  drawFunctionPatterns(version, size, set);
  drawCodewords(interleave(version, codewords), size, modules, isFunction);

  // Pick the mask with the lowest penalty, as the standard asks.
  let best = null;
  for (let mask = 0; mask < 8; mask++) {
    applyMask(mask, size, modules, isFunction);
    drawFormatBits(mask, size, set);
    const penalty = penaltyScore(size, modules);
    if (best === null || penalty < best.penalty) best = { mask, penalty };
    applyMask(mask, size, modules, isFunction); // XOR again: undo
  }
  applyMask(best.mask, size, modules, isFunction);
  drawFormatBits(best.mask, size, set);
  return modules;
}

// qrSVG returns an SVG element drawing text as a QR code, one rect per
// dark module, with a 4-module quiet zone.
export function qrSVG(text, scale = 4) {
  const modules = qrMatrix(text);
  const n = modules.length + 8;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${n} ${n}`);
  svg.setAttribute("width", String(n * scale));
  svg.setAttribute("height", String(n * scale));
  svg.setAttribute("shape-rendering", "crispEdges");
  svg.setAttribute("role", "img");
  const background = document.createElementNS(ns, "rect");
  background.setAttribute("width", String(n));
  background.setAttribute("height", String(n));
  background.setAttribute("fill", "#fff");
  svg.append(background);
  modules.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (!dark) return;
      const r = document.createElementNS(ns, "rect");
      r.setAttribute("x", String(x + 4));
      r.setAttribute("y", String(y + 4));
      r.setAttribute("width", "1");
      r.setAttribute("height", "1");
      r.setAttribute("class", "module");
      svg.append(r);
    }),
  );
  return svg;
}

function rawModules(version) {
  let n = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const align = Math.floor(version / 7) + 2;
    n -= (25 * align - 10) * align - 55;
    if (version >= 7) n -= 36;
  }
  return n;
}

function dataCodewords(version) {
  return Math.floor(rawModules(version) / 8) - eccPerBlock[version] * blockCount[version];
}

function alignmentPositions(version) {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const step = Math.floor((version * 8 + count * 3 + 5) / (count * 4 - 4)) * 2;
  const result = [6];
  for (let pos = version * 4 + 10; result.length < count; pos -= step) result.splice(1, 0, pos);
  return result;
}

function drawFunctionPatterns(version, size, set) {
  for (let i = 0; i < size; i++) {
    set(6, i, i % 2 === 0);
    set(i, 6, i % 2 === 0);
  }
  for (const [cx, cy] of [[3, 3], [size - 4, 3], [3, size - 4]]) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const x = cx + dx, y = cy + dy;
        const dist = Math.max(Math.abs(dx), Math.abs(dy));
        if (x >= 0 && x < size && y >= 0 && y < size) set(x, y, dist !== 2 && dist !== 4);
      }
    }
  }
  const align = alignmentPositions(version);
  align.forEach((ax, i) =>
    align.forEach((ay, j) => {
      const corner = (i === 0 && j === 0) || (i === 0 && j === align.length - 1) || (i === align.length - 1 && j === 0);
      if (corner) return;
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) set(ax + dx, ay + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
      }
    }),
  );
  drawFormatBits(0, size, set); // reserves the area; redrawn per mask
  if (version >= 7) {
    let rem = version;
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
    const bits = (version << 12) | rem;
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) !== 0;
      const a = size - 11 + (i % 3), b = Math.floor(i / 3);
      set(a, b, dark);
      set(b, a, dark);
    }
  }
}

function drawFormatBits(mask, size, set) {
  const data = (levelMBits << 3) | mask;
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  const bits = ((data << 10) | rem) ^ 0x5412;
  const bit = (i) => ((bits >>> i) & 1) !== 0;
  for (let i = 0; i <= 5; i++) set(8, i, bit(i));
  set(8, 7, bit(6));
  set(8, 8, bit(7));
  set(7, 8, bit(8));
  for (let i = 9; i < 15; i++) set(14 - i, 8, bit(i));
  for (let i = 0; i < 8; i++) set(size - 1 - i, 8, bit(i));
  for (let i = 8; i < 15; i++) set(8, size - 15 + i, bit(i));
  set(8, size - 8, true); // the dark module
}

// interleave splits the data into blocks, appends each block's
// Reed-Solomon codewords, and interleaves them.
function interleave(version, data) {
  const blocks = blockCount[version], ecc = eccPerBlock[version];
  const raw = Math.floor(rawModules(version) / 8);
  const shortBlocks = blocks - (raw % blocks);
  const shortLength = Math.floor(raw / blocks);
  const divisor = rsDivisor(ecc);
  const all = [];
  for (let i = 0, k = 0; i < blocks; i++) {
    const take = shortLength - ecc + (i < shortBlocks ? 0 : 1);
    const block = data.slice(k, k + take);
    k += take;
    const parity = rsRemainder(block, divisor);
    if (i < shortBlocks) block.push(0); // placeholder, skipped below
    all.push(block.concat(parity));
  }
  const result = [];
  for (let i = 0; i < all[0].length; i++) {
    all.forEach((block, j) => {
      if (i !== shortLength - ecc || j >= shortBlocks) result.push(block[i]);
    });
  }
  return result;
}

function gfMultiply(x, y) {
  let z = 0;
  for (let i = 7; i >= 0; i--) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d);
    z ^= ((y >>> i) & 1) * x;
  }
  return z;
}

function rsDivisor(degree) {
  const result = new Array(degree).fill(0);
  result[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < degree; j++) {
      result[j] = gfMultiply(result[j], root);
      if (j + 1 < degree) result[j] ^= result[j + 1];
    }
    root = gfMultiply(root, 2);
  }
  return result;
}

function rsRemainder(data, divisor) {
  const result = new Array(divisor.length).fill(0);
  for (const b of data) {
    const factor = b ^ result.shift();
    result.push(0);
    divisor.forEach((coef, i) => (result[i] ^= gfMultiply(coef, factor)));
  }
  return result;
}

function drawCodewords(codewords, size, modules, isFunction) {
  let i = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let vert = 0; vert < size; vert++) {
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        const upward = ((right + 1) & 2) === 0;
        const y = upward ? size - 1 - vert : vert;
        if (!isFunction[y][x] && i < codewords.length * 8) {
          modules[y][x] = ((codewords[i >>> 3] >>> (7 - (i & 7))) & 1) !== 0;
          i++;
        }
      }
    }
  }
}

const masks = [
  (x, y) => (x + y) % 2 === 0,
  (x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

function applyMask(mask, size, modules, isFunction) {
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!isFunction[y][x] && masks[mask](x, y)) modules[y][x] = !modules[y][x];
    }
  }
}

// penaltyScore is the standard's four penalty rules: runs, 2x2 blocks,
// finder-like patterns and the balance of dark and light.
function penaltyScore(size, modules) {
  let score = 0;
  const line = (get) => {
    let run = 1;
    const seq = [];
    for (let i = 0; i < size; i++) {
      const v = get(i);
      seq.push(v ? 1 : 0);
      if (i > 0 && v === get(i - 1)) {
        run++;
        if (run === 5) score += 3;
        else if (run > 5) score++;
      } else {
        run = 1;
      }
    }
    const s = seq.join("");
    for (const pattern of ["10111010000", "00001011101"]) {
      for (let at = s.indexOf(pattern); at >= 0; at = s.indexOf(pattern, at + 1)) score += 40;
    }
  };
  for (let y = 0; y < size; y++) line((x) => modules[y][x]);
  for (let x = 0; x < size; x++) line((y) => modules[y][x]);
  let dark = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (modules[y][x]) dark++;
      if (x < size - 1 && y < size - 1) {
        const c = modules[y][x];
        if (c === modules[y][x + 1] && c === modules[y + 1][x] && c === modules[y + 1][x + 1]) score += 3;
      }
    }
  }
  const total = size * size;
  score += Math.floor(Math.abs(dark * 20 - total * 10) / total) * 10;
  return score;
}
