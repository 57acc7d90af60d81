/**
 * Draws a concert photo: a dark stage with coloured beams, an LED wall,
 * performers and a crowd in silhouette, seen from a random seat, with sensor
 * grain. A scene is plain data (StageScene), so a burst frame is the same scene
 * with a few things moved, and the same scene always renders to the same pixels.
 */
import sharp from 'sharp';
import { createRandom, type Random } from './random.js';

/** Scene coordinates are in this box; the picture is scaled to the requested size. */
const VIEW_WIDTH = 1600;
const VIEW_HEIGHT = 1200;
/**
 * SVG rendering grows with area and dominates the generator's time, so wider
 * pictures are drawn at this width and scaled up: stage light is soft anyway, and
 * the grain added afterwards at full size brings back fine detail.
 */
const MAX_RENDER_WIDTH = 2000;
const GRAIN_TILE = 256;
const GRAIN_STRENGTH = 14;
const VIGNETTE_STRENGTH = 0.55;

export interface StageLight {
  x: number;
  /** Where the beam hits the floor. */
  targetX: number;
  width: number;
  hue: number;
  opacity: number;
}

export interface Performer {
  x: number;
  height: number;
  /** -1 leaning left … 1 leaning right. */
  lean: number;
  armsUp: boolean;
  hasGuitar: boolean;
}

export interface CrowdMember {
  x: number;
  y: number;
  size: number;
  armUp: boolean;
  phoneLit: boolean;
}

export interface LedBlock {
  x: number;
  y: number;
  width: number;
  height: number;
  hue: number;
  lightness: number;
}

export interface StageScene {
  seed: number;
  backgroundHue: number;
  hazeHue: number;
  hazeX: number;
  ledWall: { top: number; height: number; hue: number; blocks: LedBlock[] };
  lights: StageLight[];
  performers: Performer[];
  crowd: CrowdMember[];
  camera: { zoom: number; panX: number; panY: number; tilt: number };
  exposure: number;
}

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 3;
}

/** What stays the same all evening at one show: the room's colours and where the LED wall hangs. */
export interface StageLook {
  backgroundHue: number;
  hazeHue: number;
  wall: { top: number; height: number; hue: number };
}

export function randomStageLook(seed: number): StageLook {
  const rng = createRandom(`${seed}:look`);
  const backgroundHue = rng.int(0, 359);
  return {
    backgroundHue,
    hazeHue: (backgroundHue + rng.int(90, 270)) % 360,
    wall: { top: rng.float(120, 260), height: rng.float(280, 420), hue: rng.int(0, 359) },
  };
}

/**
 * A new shot. With a `look`, it is a shot of that show: same colours and wall,
 * but the wall's content, the beams, the people and the framing change, as they
 * do from song to song.
 */
export function randomStageScene(seed: number, look: StageLook = randomStageLook(seed)): StageScene {
  const rng = createRandom(seed);
  const { backgroundHue, hazeHue } = look;
  const ledWall = randomLedWall(rng, look.wall);
  const lightCount = rng.int(4, 9);
  const lights: StageLight[] = Array.from({ length: lightCount }, (_, i) => {
    const x = ((i + 0.5) / lightCount) * VIEW_WIDTH + rng.float(-40, 40);
    return {
      x,
      targetX: x + rng.float(-450, 450),
      width: rng.float(60, 220),
      hue: rng.chance(0.6) ? hazeHue + rng.float(-25, 25) : rng.int(0, 359),
      opacity: rng.float(0.25, 0.7),
    };
  });
  const performers: Performer[] = Array.from({ length: rng.int(1, 4) }, () => ({
    x: rng.float(250, 1350),
    height: rng.float(260, 380),
    lean: rng.float(-1, 1),
    armsUp: rng.chance(0.3),
    hasGuitar: rng.chance(0.6),
  }));
  const crowd: CrowdMember[] = [];
  for (let row = 0; row < 3; row++) {
    const y = 1000 + row * 85;
    const size = 55 + row * 22;
    for (let x = rng.float(-40, 20); x < VIEW_WIDTH + 60; x += size * rng.float(1.1, 1.9)) {
      crowd.push({ x, y: y + rng.float(-18, 18), size: size * rng.float(0.85, 1.15), armUp: rng.chance(0.12), phoneLit: rng.chance(0.08) });
    }
  }
  return {
    seed,
    backgroundHue,
    hazeHue,
    hazeX: rng.float(300, 1300),
    ledWall,
    lights,
    performers,
    crowd,
    camera: { zoom: rng.float(1, 1.45), panX: rng.float(-1, 1), panY: rng.float(-0.3, 1), tilt: rng.float(-4, 4) },
    exposure: rng.float(0.85, 1.2),
  };
}

function randomLedWall(rng: Random, { top, height, hue }: StageLook['wall']): StageScene['ledWall'] {
  const blocks: LedBlock[] = Array.from({ length: rng.int(3, 8) }, () => ({
    x: rng.float(150, 1350),
    y: top + rng.float(0, height - 80),
    width: rng.float(60, 360),
    height: rng.float(40, 200),
    hue: rng.chance(0.5) ? hue : rng.int(0, 359),
    lightness: rng.float(35, 75),
  }));
  return { top, height, hue, blocks };
}

/**
 * The next frame of a burst, about a second later: performers move a little,
 * beams sweep, a few phones light up. Framing and the wall stay, as they would
 * for a photographer holding the shutter.
 */
export function burstFrame(scene: StageScene, frame: number): StageScene {
  const rng = createRandom(`${scene.seed}:burst:${frame}`);
  return {
    ...scene,
    lights: scene.lights.map((light) => ({
      ...light,
      targetX: light.targetX + rng.float(-20, 20),
      opacity: clamp(light.opacity + rng.float(-0.04, 0.04), 0.15, 0.8),
    })),
    performers: scene.performers.map((p) => ({ ...p, x: p.x + rng.float(-12, 12), lean: clamp(p.lean + rng.float(-0.15, 0.15), -1, 1) })),
    crowd: scene.crowd.map((c) => ({ ...c, x: c.x + rng.float(-4, 4), phoneLit: rng.chance(0.9) ? c.phoneLit : !c.phoneLit })),
  };
}

export function stageSceneSvg(scene: StageScene, width: number, height: number): string {
  const { camera } = scene;
  const cx = VIEW_WIDTH / 2 + (camera.panX * (VIEW_WIDTH * (camera.zoom - 1))) / 2;
  const cy = VIEW_HEIGHT / 2 + (camera.panY * (VIEW_HEIGHT * (camera.zoom - 1))) / 2;
  const view = `translate(${f(VIEW_WIDTH / 2)} ${f(VIEW_HEIGHT / 2)}) rotate(${f(camera.tilt)}) scale(${f(camera.zoom)}) translate(${f(-cx)} ${f(-cy)})`;
  const bg = scene.backgroundHue;
  const defs: string[] = [
    `<linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${hsl(bg, 45, 4)}"/><stop offset="0.6" stop-color="${hsl(bg, 55, 12 * scene.exposure)}"/><stop offset="1" stop-color="${hsl(bg, 30, 3)}"/></linearGradient>`,
    `<radialGradient id="haze"><stop offset="0" stop-color="${hsl(scene.hazeHue, 80, 55)}" stop-opacity="${f(0.55 * scene.exposure)}"/><stop offset="1" stop-color="${hsl(scene.hazeHue, 80, 30)}" stop-opacity="0"/></radialGradient>`,
    `<linearGradient id="floor" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${hsl(scene.hazeHue, 40, 22 * scene.exposure)}"/><stop offset="1" stop-color="${hsl(bg, 20, 4)}"/></linearGradient>`,
  ];
  scene.lights.forEach((light, i) => {
    defs.push(
      `<linearGradient id="beam${i}" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${hsl(light.hue, 90, 75)}" stop-opacity="${f(light.opacity * scene.exposure)}"/><stop offset="1" stop-color="${hsl(light.hue, 90, 55)}" stop-opacity="0"/></linearGradient>`,
    );
  });
  const wall = scene.ledWall;
  const parts: string[] = [
    `<rect x="-800" y="-600" width="${VIEW_WIDTH + 1600}" height="${VIEW_HEIGHT + 1200}" fill="url(#bg)"/>`,
    `<rect x="80" y="${f(wall.top)}" width="${VIEW_WIDTH - 160}" height="${f(wall.height)}" fill="${hsl(wall.hue, 60, 9 * scene.exposure)}"/>`,
    ...wall.blocks.map(
      (b) =>
        `<rect x="${f(b.x)}" y="${f(b.y)}" width="${f(b.width)}" height="${f(b.height)}" fill="${hsl(b.hue, 85, b.lightness * scene.exposure)}" opacity="0.8"/>`,
    ),
    `<ellipse cx="${f(scene.hazeX)}" cy="520" rx="700" ry="420" fill="url(#haze)"/>`,
    `<rect x="-200" y="60" width="${VIEW_WIDTH + 400}" height="34" fill="#0b0b0d"/>`,
    ...scene.lights.map((l, i) => {
      const half = l.width / 2;
      return `<polygon points="${f(l.x - 10)},80 ${f(l.x + 10)},80 ${f(l.targetX + half)},880 ${f(l.targetX - half)},880" fill="url(#beam${i})"/><circle cx="${f(l.x)}" cy="84" r="13" fill="${hsl(l.hue, 90, 88)}"/>`;
    }),
    `<rect x="-200" y="780" width="${VIEW_WIDTH + 400}" height="140" fill="url(#floor)"/>`,
    ...scene.performers.map((p) => performerSvg(p, scene.hazeHue)),
    ...scene.crowd.map(crowdMemberSvg),
  ];
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${VIEW_WIDTH} ${VIEW_HEIGHT}" preserveAspectRatio="xMidYMid slice">` +
    `<defs>${defs.join('')}</defs><g transform="${view}">${parts.join('')}</g></svg>`
  );
}

function performerSvg(p: Performer, rimHue: number): string {
  const feet = 860;
  const h = p.height;
  const headY = feet - h;
  const lean = p.lean * h * 0.08;
  const rim = hsl(rimHue, 70, 45);
  const arms = p.armsUp
    ? `<path d="M${f(p.x + lean - 22)} ${f(headY + 55)} L${f(p.x + lean - 70)} ${f(headY - 40)} M${f(p.x + lean + 22)} ${f(headY + 55)} L${f(p.x + lean + 70)} ${f(headY - 40)}" stroke="#050506" stroke-width="16" stroke-linecap="round"/>`
    : '';
  const guitar = p.hasGuitar
    ? `<ellipse cx="${f(p.x + lean * 0.5 + 10)}" cy="${f(headY + h * 0.52)}" rx="${f(h * 0.12)}" ry="${f(h * 0.08)}" fill="#0a0708"/><path d="M${f(p.x + lean)} ${f(headY + h * 0.5)} L${f(p.x + lean + h * 0.35)} ${f(headY + h * 0.3)}" stroke="#0a0708" stroke-width="9"/>`
    : '';
  return (
    `<g stroke="${rim}" stroke-opacity="0.5" stroke-width="3">` +
    `<circle cx="${f(p.x + lean)}" cy="${f(headY + 24)}" r="24" fill="#050506"/>` +
    `<path d="M${f(p.x + lean - 34)} ${f(headY + 50)} L${f(p.x + lean + 34)} ${f(headY + 50)} L${f(p.x + 28)} ${f(feet - h * 0.45)} L${f(p.x + 26)} ${f(feet)} L${f(p.x - 26)} ${f(feet)} L${f(p.x - 28)} ${f(feet - h * 0.45)} Z" fill="#050506"/>` +
    `</g>${arms}${guitar}`
  );
}

function crowdMemberSvg(c: CrowdMember): string {
  const head = c.size * 0.42;
  const shoulders = `<ellipse cx="${f(c.x)}" cy="${f(c.y + head * 2.6)}" rx="${f(c.size * 0.95)}" ry="${f(head * 1.9)}" fill="#020203"/>`;
  const headShape = `<ellipse cx="${f(c.x)}" cy="${f(c.y)}" rx="${f(head)}" ry="${f(head * 1.15)}" fill="#030304"/>`;
  if (!c.armUp) return shoulders + headShape;
  const handX = c.x + c.size * 0.5;
  const handY = c.y - c.size * 1.6;
  const phone = c.phoneLit
    ? `<rect x="${f(handX - 9)}" y="${f(handY - 30)}" width="18" height="30" fill="#eef3ff"/>`
    : `<rect x="${f(handX - 9)}" y="${f(handY - 30)}" width="18" height="30" fill="#050506"/>`;
  return `${shoulders}${headShape}<path d="M${f(c.x + c.size * 0.45)} ${f(c.y + head * 1.5)} L${f(handX)} ${f(handY)}" stroke="#020203" stroke-width="${f(c.size * 0.22)}" stroke-linecap="round"/>${phone}`;
}

/** The scene's pixels at `width`×`height` (sRGB, 3 channels) with sensor grain. */
export async function renderStageScene(scene: StageScene, width: number, height: number): Promise<RawImage> {
  const renderWidth = Math.min(width, MAX_RENDER_WIDTH);
  const renderHeight = Math.round((height * renderWidth) / width);
  const rendered = await sharp(Buffer.from(stageSceneSvg(scene, renderWidth, renderHeight)))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  let data = rendered.data;
  if (renderWidth !== width) {
    data = await sharp(data, { raw: { width: rendered.info.width, height: rendered.info.height, channels: 3 } })
      .resize(width, height, { fit: 'fill', kernel: 'linear' })
      .raw()
      .toBuffer();
  }
  developInCamera(data, width, height, scene.seed);
  return { data, width, height, channels: 3 };
}

/**
 * What the lens and sensor add: a vignette (darker corners) and luminance grain,
 * as at high ISO in a dark room. Both are done here rather than in the SVG:
 * librsvg renders one picture at a time, and a full-frame gradient costs it more
 * than this whole loop. The grain is a seeded tile repeated with a per-scene
 * offset, cheaper than a random number per pixel.
 */
function developInCamera(data: Buffer, width: number, height: number, seed: number): void {
  const rng = createRandom(`${seed}:grain`);
  const tile = new Int8Array(GRAIN_TILE * GRAIN_TILE);
  for (let i = 0; i < tile.length; i++) {
    // A sum of three uniforms is close enough to Gaussian: standard deviation ≈ 7 levels.
    tile[i] = Math.round((rng.next() + rng.next() + rng.next() - 1.5) * GRAIN_STRENGTH);
  }
  const offsetX = rng.int(0, GRAIN_TILE - 1);
  const offsetY = rng.int(0, GRAIN_TILE - 1);
  // Separable falloff: 1 in the centre, 1 − VIGNETTE_STRENGTH at the middle of each edge.
  const falloff = (i: number, size: number) => 1 - VIGNETTE_STRENGTH * Math.abs((2 * i) / (size - 1) - 1) ** 3;
  const columns = Float32Array.from({ length: width }, (_, x) => falloff(x, width));
  for (let y = 0; y < height; y++) {
    const tileRow = ((y + offsetY) % GRAIN_TILE) * GRAIN_TILE;
    const row = falloff(y, height);
    let i = y * width * 3;
    for (let x = 0; x < width; x++, i += 3) {
      const gain = row * (columns[x] as number);
      const grain = tile[tileRow + ((x + offsetX) % GRAIN_TILE)] as number;
      data[i] = clampByte((data[i] as number) * gain + grain);
      data[i + 1] = clampByte((data[i + 1] as number) * gain + grain);
      data[i + 2] = clampByte((data[i + 2] as number) * gain + grain);
    }
  }
}

function clampByte(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
}

function hsl(hue: number, saturation: number, lightness: number): string {
  return `hsl(${f(((hue % 360) + 360) % 360)},${f(clamp(saturation, 0, 100))}%,${f(clamp(lightness, 0, 100))}%)`;
}

/** Two decimals: keeps the SVG short and the output stable. */
function f(value: number): string {
  return (Math.round(value * 100) / 100).toString();
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
