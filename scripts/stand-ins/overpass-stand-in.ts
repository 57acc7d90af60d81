/**
 * A local stand-in for an Overpass API interpreter (overpass-api.de/api/interpreter),
 * speaking its HTTP contract: the query in `data=` (form-encoded POST, raw POST
 * body, or GET ?data=), answers in Overpass JSON (`version`, `generator`,
 * `osm3s`, `elements`, a `remark` on runtime errors), errors as the XHTML page
 * the real server writes, 400 for a query it cannot parse, 406 without an own
 * User-Agent, and 429/504 from the dispatcher when told to fail.
 *
 * It really parses and runs the QL it receives, for the subset we use:
 * `[out:json][timeout:N]` settings; `node`/`way`/`rel`/`nwr` (and nw/nr/wr)
 * queries with `(around:R,LAT,LON)` and tag filters `["k"]`, `[!"k"]`,
 * `["k"="v"]`, `["k"!="v"]`, `["k"~"re"]`, `["k"!~"re"]` (`,i` for case);
 * unions `( … );`; and `out [ids|tags] [center] [qt|asc] [N];`.
 * One simplification: `around` is measured to a node or to a way's or
 * relation's center, where the real server measures to the whole geometry
 * (so it also finds a large venue whose outline, not center, is in range).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FESTIVAL_SITES, VENUES } from '../demo-library/venues.js';
import { distanceMeters, type LatLon } from '../../shared/geo.js';

// ---------------------------------------------------------------------------
// The places it serves

export type OsmType = 'node' | 'way' | 'relation';

export interface StandInPlace {
  osmType: OsmType;
  osmId: number;
  /** A node's position, or the center the real server reports for a way or relation. */
  latitude: number;
  longitude: number;
  tags: Record<string, string>;
}

type DemoVenueKey = keyof typeof VENUES;

/** Large ids in the ranges OSM has reached (nodes ~1e10, ways ~1e9, relations ~1e7), fixed per place. */
export function standInOsmId(osmType: OsmType, key: string): number {
  const n = createHash('sha256').update(`${osmType}/${key}`).digest().readUIntBE(0, 6);
  if (osmType === 'node') return 1_000_000_000 + (n % 11_000_000_000);
  if (osmType === 'way') return 10_000_000 + (n % 1_200_000_000);
  return 10_000 + (n % 17_000_000);
}

/** The point `northMeters` north and `eastMeters` east of `from` (flat-earth offset, exact enough for a few hundred metres). */
export function offsetMeters(from: LatLon, northMeters: number, eastMeters: number): LatLon {
  const metersPerDegree = 111_320;
  return {
    latitude: from.latitude + northMeters / metersPerDegree,
    longitude: from.longitude + eastMeters / (metersPerDegree * Math.cos((from.latitude * Math.PI) / 180)),
  };
}

function place(osmType: OsmType, key: string, position: LatLon, tags: Record<string, string>): StandInPlace {
  return { osmType, osmId: standInOsmId(osmType, key), latitude: position.latitude, longitude: position.longitude, tags };
}

/** Each demo venue as it is mapped in OSM: mostly building ways, two nodes and a multipolygon; US venues carry addr:state, one no addr:country. */
const DEMO_VENUE_MAPPING: Record<DemoVenueKey, { osmType: OsmType; tags: Record<string, string> }> = {
  paradiso: {
    osmType: 'way',
    tags: {
      amenity: 'music_venue',
      building: 'church',
      'addr:street': 'Weteringschans',
      'addr:housenumber': '6-8',
      'addr:postcode': '1017 SG',
      'addr:city': 'Amsterdam',
      'addr:country': 'NL',
      website: 'https://www.paradiso.nl/',
      capacity: '1500',
    },
  },
  brixton: {
    osmType: 'way',
    tags: {
      amenity: 'music_venue',
      building: 'yes',
      'addr:street': 'Stockwell Road',
      'addr:housenumber': '211',
      'addr:postcode': 'SW9 9SL',
      'addr:city': 'London',
      'addr:country': 'GB',
      website: 'https://www.academymusicgroup.com/o2academybrixton/',
      capacity: '4921',
    },
  },
  fillmore: {
    osmType: 'way',
    tags: {
      amenity: 'music_venue',
      building: 'yes',
      'addr:street': 'Geary Boulevard',
      'addr:housenumber': '1805',
      'addr:postcode': '94115',
      'addr:city': 'San Francisco',
      'addr:state': 'CA',
      'addr:country': 'US',
      website: 'https://www.thefillmore.com/',
      capacity: '1315',
    },
  },
  columbiahalle: {
    osmType: 'way',
    tags: {
      amenity: 'music_venue',
      building: 'yes',
      'addr:street': 'Columbiadamm',
      'addr:housenumber': '13-21',
      'addr:postcode': '10965',
      'addr:city': 'Berlin',
      'addr:country': 'DE',
      website: 'https://www.columbiahalle.berlin/',
      capacity: '3500',
    },
  },
  bowery: {
    osmType: 'node',
    tags: {
      amenity: 'music_venue',
      live_music: 'yes',
      'addr:street': 'Delancey Street',
      'addr:housenumber': '6',
      'addr:postcode': '10002',
      'addr:city': 'New York',
      'addr:state': 'NY',
      'addr:country': 'US',
      website: 'https://www.boweryballroom.com/',
      capacity: '575',
    },
  },
  vega: {
    osmType: 'relation',
    tags: {
      type: 'multipolygon',
      amenity: 'music_venue',
      building: 'yes',
      'addr:street': 'Enghavevej',
      'addr:housenumber': '40',
      'addr:postcode': '1674',
      'addr:city': 'Copenhagen',
      'addr:country': 'DK',
      website: 'https://vega.dk/',
      capacity: '1550',
    },
  },
  olympia: {
    osmType: 'way',
    tags: {
      amenity: 'theatre',
      'theatre:type': 'concert_hall',
      building: 'yes',
      'addr:street': 'Boulevard des Capucines',
      'addr:housenumber': '28',
      'addr:postcode': '75009',
      'addr:city': 'Paris',
      'addr:country': 'FR',
      website: 'https://www.olympiahall.com/',
      capacity: '2000',
    },
  },
  firstAvenue: {
    osmType: 'way',
    tags: {
      amenity: 'nightclub',
      live_music: 'yes',
      building: 'yes',
      'addr:street': 'North 1st Avenue',
      'addr:housenumber': '701',
      'addr:postcode': '55403',
      'addr:city': 'Minneapolis',
      'addr:state': 'MN',
      website: 'https://first-avenue.com/',
      capacity: '1550',
    },
  },
  enmore: {
    osmType: 'node',
    tags: {
      amenity: 'theatre',
      'addr:street': 'Enmore Road',
      'addr:housenumber': '118-132',
      'addr:postcode': '2042',
      'addr:city': 'Sydney',
      'addr:state': 'NSW',
      'addr:country': 'AU',
      website: 'https://www.enmoretheatre.com.au/',
      capacity: '2500',
    },
  },
};

export const DEMO_VENUE_PLACES = Object.fromEntries(
  (Object.keys(VENUES) as DemoVenueKey[]).map((key) => {
    const venue = VENUES[key];
    const { osmType, tags } = DEMO_VENUE_MAPPING[key];
    return [key, place(osmType, venue.key, venue, { name: venue.name, ...tags })];
  }),
) as Record<DemoVenueKey, StandInPlace>;

/** Places a venue search must not pick, each next to a demo venue. */
export const DISTRACTOR_PLACES = {
  /** A pub 35 m from O2 Academy Brixton: amenity=pub is outside the query. */
  pubByBrixton: place('node', 'academy-arms', offsetMeters(VENUES.brixton, 0, 35), {
    amenity: 'pub',
    name: 'The Academy Arms',
    'addr:street': 'Stockwell Road',
    'addr:city': 'London',
  }),
  /** A club nobody named, 25 m from Columbiahalle: the query asks for ["name"]. */
  unnamedClubByColumbiahalle: place('node', 'unnamed-club-columbiadamm', offsetMeters(VENUES.columbiahalle, 25, 0), { amenity: 'nightclub' }),
  /** A theatre 150 m south of Paradiso: inside the first search radius, but farther than the venue. */
  theatreByParadiso: place('way', 'weteringtheater', offsetMeters(VENUES.paradiso, -150, 0), {
    amenity: 'theatre',
    name: 'Weteringtheater',
    building: 'yes',
    'addr:street': 'Weteringschans',
    'addr:city': 'Amsterdam',
    'addr:country': 'NL',
  }),
};

const FLEVOPARK = FESTIVAL_SITES.flevopark.site;

/**
 * The demo festival's site, one place for all its stages (OSM maps no stage of a
 * park festival: they stand a weekend). OSM has Flevopark as leisure=park, which
 * no venue query asks for; here it also carries amenity=events_venue, as parks
 * that host festivals often do, so the photos at either stage find the park.
 */
export const FESTIVAL_SITE_PLACES = {
  flevopark: place('way', FLEVOPARK.key, FLEVOPARK, {
    leisure: 'park',
    amenity: 'events_venue',
    name: FLEVOPARK.name,
    'addr:city': FLEVOPARK.city,
    'addr:country': FLEVOPARK.countryCode,
    website: 'https://www.flevopark.nl/',
  }),
};

const RED_ROCKS: LatLon = { latitude: 39.66544, longitude: -105.20537 };

/**
 * An open-air amphitheatre whose photos were taken from the trail above it: the
 * only venue is 500 m from the photos, so only a widened search finds it.
 */
export const FAR_VENUE = {
  place: place('way', 'red-rocks-amphitheatre', RED_ROCKS, {
    amenity: 'theatre',
    'theatre:type': 'amphi',
    name: 'Red Rocks Amphitheatre',
    'addr:city': 'Morrison',
    'addr:state': 'CO',
    'addr:country': 'US',
    website: 'https://www.redrocksonline.com/',
    capacity: '9525',
  }),
  photoSpot: offsetMeters(RED_ROCKS, 500, 0),
};

export function defaultStandInPlaces(): StandInPlace[] {
  return [...Object.values(DEMO_VENUE_PLACES), ...Object.values(DISTRACTOR_PLACES), FAR_VENUE.place, ...Object.values(FESTIVAL_SITE_PLACES)];
}

// ---------------------------------------------------------------------------
// Overpass QL: tokens

class QlError extends Error {
  constructor(
    readonly line: number,
    readonly kind: 'parse' | 'static',
    message: string,
  ) {
    super(message);
  }
}

interface Token {
  kind: 'word' | 'number' | 'string' | 'punct' | 'end';
  text: string;
  line: number;
}

const TWO_CHAR_PUNCT = new Set(['->', '!=', '!~']);
const ONE_CHAR_PUNCT = new Set([...'[]();:,=~!.-{}<>']);
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', '"': '"', "'": "'", '\\': '\\' };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    const next = source[i + 1] ?? '';
    if (c === '\n') {
      line += 1;
      i += 1;
    } else if (/\s/.test(c)) {
      i += 1;
    } else if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i += 1;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) throw new QlError(line, 'parse', 'Comment not closed');
      line += (source.slice(i, end).match(/\n/g) ?? []).length;
      i = end + 2;
    } else if (c === '"' || c === "'") {
      const start = line;
      let text = '';
      i += 1;
      while (i < source.length && source[i] !== c) {
        if (source[i] === '\n') line += 1;
        if (source[i] === '\\') {
          i += 1;
          const escaped = source[i] ?? '';
          if (escaped === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 1, i + 5))) {
            text += String.fromCharCode(parseInt(source.slice(i + 1, i + 5), 16));
            i += 5;
            continue;
          }
          text += ESCAPES[escaped] ?? escaped;
        } else {
          text += source[i];
        }
        i += 1;
      }
      if (i >= source.length) throw new QlError(start, 'parse', 'String not closed');
      tokens.push({ kind: 'string', text, line: start });
      i += 1;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(next))) {
      const match = /^-?\d+(\.\d+)?/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'number', text: match[0], line });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'word', text: match[0], line });
      i += match[0].length;
    } else if (TWO_CHAR_PUNCT.has(c + next)) {
      tokens.push({ kind: 'punct', text: c + next, line });
      i += 2;
    } else if (ONE_CHAR_PUNCT.has(c)) {
      tokens.push({ kind: 'punct', text: c, line });
      i += 1;
    } else {
      throw new QlError(line, 'parse', `Unknown character "${c}"`);
    }
  }
  tokens.push({ kind: 'end', text: '', line });
  return tokens;
}

// ---------------------------------------------------------------------------
// Overpass QL: syntax

type TagFilter =
  | { op: 'exists' | 'absent'; key: string }
  | { op: 'equals' | 'notEquals'; key: string; value: string }
  | { op: 'matches' | 'notMatches'; key: string; regex: RegExp };

interface QueryStatement {
  kind: 'query';
  types: OsmType[];
  around: { radiusMeters: number; center: LatLon } | null;
  tagFilters: TagFilter[];
}
interface UnionStatement {
  kind: 'union';
  members: Statement[];
}
interface OutStatement {
  kind: 'out';
  mode: 'ids' | 'tags';
  center: boolean;
  limit: number | null;
}
type Statement = QueryStatement | UnionStatement | OutStatement;

interface Program {
  settings: Map<string, string>;
  statements: Statement[];
}

const QUERY_TYPES = new Map<string, OsmType[]>([
  ['node', ['node']],
  ['way', ['way']],
  ['rel', ['relation']],
  ['relation', ['relation']],
  ['nwr', ['node', 'way', 'relation']],
  ['nw', ['node', 'way']],
  ['nr', ['node', 'relation']],
  ['wr', ['way', 'relation']],
]);
const KNOWN_SETTINGS = new Set(['out', 'timeout', 'maxsize']);

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  parseProgram(): Program {
    const settings = new Map<string, string>();
    while (this.isPunct('[')) {
      this.next();
      const name = this.expectKind('word', 'Keyword');
      if (!KNOWN_SETTINGS.has(name.text)) throw new QlError(name.line, 'parse', `Unknown global setting "${name.text}"`);
      this.expectPunct(':');
      settings.set(name.text, this.expectValue('Value').text);
      this.expectPunct(']');
    }
    if (settings.size > 0) this.expectPunct(';');
    const statements: Statement[] = [];
    while (this.peek().kind !== 'end') statements.push(this.parseStatement());
    return { settings, statements };
  }

  private parseStatement(): Statement {
    const token = this.peek();
    if (this.isPunct('(')) return this.parseUnion();
    if (token.kind === 'word' && token.text === 'out') return this.parseOut();
    if (token.kind === 'word' && QUERY_TYPES.has(token.text)) return this.parseQuery();
    throw new QlError(token.line, 'parse', token.kind === 'end' ? 'Unexpected end of input' : `Unknown type "${token.text}"`);
  }

  private parseUnion(): UnionStatement {
    this.expectPunct('(');
    const members: Statement[] = [];
    while (!this.isPunct(')')) {
      if (this.peek().kind === 'end') throw new QlError(this.peek().line, 'parse', 'Union not closed: ")" expected');
      members.push(this.parseStatement());
    }
    this.expectPunct(')');
    this.expectPunct(';');
    return { kind: 'union', members };
  }

  private parseQuery(): QueryStatement {
    const typeToken = this.next();
    const statement: QueryStatement = { kind: 'query', types: QUERY_TYPES.get(typeToken.text) ?? [], around: null, tagFilters: [] };
    while (this.isPunct('[') || this.isPunct('(')) {
      if (this.isPunct('(')) statement.around = this.parseAround();
      else statement.tagFilters.push(this.parseTagFilter());
    }
    this.expectPunct(';');
    return statement;
  }

  private parseAround(): { radiusMeters: number; center: LatLon } {
    this.expectPunct('(');
    const keyword = this.peek();
    if (keyword.kind !== 'word' || keyword.text !== 'around') {
      throw new QlError(keyword.line, 'static', 'the Overpass stand-in implements only (around:radius,lat,lon) spatial filters');
    }
    this.next();
    this.expectPunct(':');
    const radius = this.expectNumber('Radius');
    this.expectPunct(',');
    const latitude = this.expectNumber('Latitude');
    this.expectPunct(',');
    const longitude = this.expectNumber('Longitude');
    this.expectPunct(')');
    if (radius < 0)
      throw new QlError(keyword.line, 'static', 'For the attribute "radius" of the element "around" the only allowed values are nonnegative floats.');
    if (Math.abs(latitude) > 90)
      throw new QlError(
        keyword.line,
        'static',
        'For the attribute "lat" of the element "around" the only allowed values are floats between -90.0 and 90.0.',
      );
    if (Math.abs(longitude) > 180)
      throw new QlError(
        keyword.line,
        'static',
        'For the attribute "lon" of the element "around" the only allowed values are floats between -180.0 and 180.0.',
      );
    return { radiusMeters: radius, center: { latitude, longitude } };
  }

  private parseTagFilter(): TagFilter {
    const open = this.expectPunct('[');
    if (this.isPunct('!')) {
      this.next();
      const key = this.expectValue('Key').text;
      this.expectPunct(']');
      return { op: 'absent', key };
    }
    const key = this.expectValue('Key').text;
    if (this.isPunct(']')) {
      this.next();
      return { op: 'exists', key };
    }
    const operator = this.next();
    if (operator.kind !== 'punct' || !['=', '!=', '~', '!~'].includes(operator.text)) {
      throw new QlError(operator.line, 'parse', `"=", "!=", "~", "!~" or "]" expected - "${operator.text}" found.`);
    }
    const value = this.expectValue('Value').text;
    let flags = '';
    if (this.isPunct(',')) {
      this.next();
      const flag = this.expectKind('word', 'Flag');
      if (flag.text !== 'i') throw new QlError(flag.line, 'parse', `"i" expected - "${flag.text}" found.`);
      flags = 'i';
    }
    this.expectPunct(']');
    if (operator.text === '=') return { op: 'equals', key, value };
    if (operator.text === '!=') return { op: 'notEquals', key, value };
    let regex: RegExp;
    try {
      regex = new RegExp(value, flags);
    } catch {
      throw new QlError(open.line, 'static', `Invalid regular expression: "${value}"`);
    }
    return { op: operator.text === '~' ? 'matches' : 'notMatches', key, regex };
  }

  private parseOut(): OutStatement {
    const outToken = this.next();
    const statement: OutStatement = { kind: 'out', mode: 'tags', center: false, limit: null };
    let mode: string | null = null;
    while (!this.isPunct(';')) {
      const token = this.next();
      if (token.kind === 'end') throw new QlError(token.line, 'parse', '";" expected - end of input found.');
      if (token.kind === 'number' && /^\d+$/.test(token.text)) statement.limit = Number(token.text);
      else if (token.kind === 'word' && token.text === 'center') statement.center = true;
      else if (token.kind === 'word' && (token.text === 'qt' || token.text === 'asc')) continue;
      else if (token.kind === 'word' && ['ids', 'tags', 'skel', 'body', 'meta', 'geom', 'bb', 'count'].includes(token.text)) mode = token.text;
      else throw new QlError(token.line, 'parse', `Invalid parameter for print: "${token.text}"`);
    }
    this.expectPunct(';');
    if (mode !== 'ids' && mode !== 'tags') {
      // Plain `out` means `out body`; ways would need their node lists, which the stand-in does not keep.
      throw new QlError(
        outToken.line,
        'static',
        `the Overpass stand-in implements only "out ids" and "out tags" (with center), not "${mode ?? 'body'}"`,
      );
    }
    statement.mode = mode;
    return statement;
  }

  private peek(): Token {
    return this.tokens[this.position] ?? { kind: 'end', text: '', line: 0 };
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.position += 1;
    return token;
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === text;
  }

  private expectPunct(text: string): Token {
    const token = this.next();
    if (token.kind !== 'punct' || token.text !== text) throw new QlError(token.line, 'parse', `"${text}" expected - "${token.text}" found.`);
    return token;
  }

  private expectKind(kind: Token['kind'], what: string): Token {
    const token = this.next();
    if (token.kind !== kind) throw new QlError(token.line, 'parse', `${what} expected - "${token.text}" found.`);
    return token;
  }

  /** Keys and values may be quoted strings, bare words or numbers. */
  private expectValue(what: string): Token {
    const token = this.next();
    if (token.kind !== 'string' && token.kind !== 'word' && token.kind !== 'number') {
      throw new QlError(token.line, 'parse', `${what} expected - "${token.text}" found.`);
    }
    return token;
  }

  private expectNumber(what: string): number {
    return Number(this.expectKind('number', what).text);
  }
}

export function parseOverpassQl(source: string): Program {
  const program = new Parser(tokenize(source)).parseProgram();
  const format = program.settings.get('out') ?? 'xml';
  if (format !== 'json') throw new QlError(1, 'static', `the Overpass stand-in answers only [out:json], not [out:${format}]`);
  return program;
}

// ---------------------------------------------------------------------------
// Running a program

type OutputElement = Record<string, unknown>;

const TYPE_ORDER: Record<OsmType, number> = { node: 0, way: 1, relation: 2 };
const round7 = (value: number) => Math.round(value * 1e7) / 1e7;

function matchesTag(filter: TagFilter, tags: Record<string, string>): boolean {
  const value = tags[filter.key];
  switch (filter.op) {
    case 'exists':
      return value !== undefined;
    case 'absent':
      return value === undefined;
    case 'equals':
      return value === filter.value;
    case 'notEquals':
      return value !== filter.value;
    case 'matches':
      return value !== undefined && filter.regex.test(value);
    case 'notMatches':
      return value === undefined || !filter.regex.test(value);
  }
}

function runQuery(statement: QueryStatement, places: readonly StandInPlace[]): StandInPlace[] {
  return places.filter(
    (candidate) =>
      statement.types.includes(candidate.osmType) &&
      (statement.around === null || distanceMeters(statement.around.center, candidate) <= statement.around.radiusMeters) &&
      statement.tagFilters.every((filter) => matchesTag(filter, candidate.tags)),
  );
}

function printElement(element: StandInPlace, out: OutStatement): OutputElement {
  const printed: OutputElement = { type: element.osmType, id: element.osmId };
  if (out.center && element.osmType === 'node') {
    printed.lat = round7(element.latitude);
    printed.lon = round7(element.longitude);
  } else if (out.center) {
    printed.center = { lat: round7(element.latitude), lon: round7(element.longitude) };
  }
  if (out.mode === 'tags' && Object.keys(element.tags).length > 0) printed.tags = element.tags;
  return printed;
}

/** Runs the statements in order on the default set `_`, as the real interpreter does. */
function runProgram(program: Program, places: readonly StandInPlace[]): OutputElement[] {
  const output: OutputElement[] = [];
  const run = (statement: Statement, current: StandInPlace[]): StandInPlace[] => {
    if (statement.kind === 'query') return runQuery(statement, places);
    if (statement.kind === 'union') {
      const union = new Map<string, StandInPlace>();
      for (const member of statement.members) {
        for (const element of run(member, current)) union.set(`${element.osmType}/${element.osmId}`, element);
      }
      return [...union.values()];
    }
    const sorted = [...current].sort((a, b) => TYPE_ORDER[a.osmType] - TYPE_ORDER[b.osmType] || a.osmId - b.osmId);
    output.push(...sorted.slice(0, statement.limit ?? undefined).map((element) => printElement(element, statement)));
    return current;
  };
  let current: StandInPlace[] = [];
  for (const statement of program.statements) current = run(statement, current);
  return output;
}

// ---------------------------------------------------------------------------
// HTTP

export type OverpassFault = 429 | 504 | 'runtime-error';

export interface OverpassStandInOptions {
  /** What the map holds; defaults to the demo venues, their distractors and FAR_VENUE. */
  places?: StandInPlace[];
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  faults?: {
    /**
     * Answers for the next requests, in order, before any is served normally:
     * 429 and 504 from the dispatcher, or 'runtime-error', a 200 whose JSON
     * carries the `remark` of a query that ran out of time.
     */
    failNext?: OverpassFault[];
  };
}

export interface OverpassStandIn {
  /** The interpreter endpoint, ending in /api/interpreter. */
  url: string;
  /** Every QL query received, in order, failed ones included. */
  requests: string[];
  close(): Promise<void>;
}

const GENERATOR = 'Overpass API 0.7.62 (stand-in)';
const COPYRIGHT = 'The data included in this document is from www.openstreetmap.org. The data is made available under ODbL.';
const DISPATCHER_ERRORS = {
  429: 'runtime error: open64: 0 Success /osm3s_osm_base Dispatcher_Client::request_read_and_idx::rate_limited. Please check /api/status for the quota of your IP address.',
  504: 'runtime error: open64: 0 Success /osm3s_osm_base Dispatcher_Client::request_read_and_idx::timeout. The server is probably too busy to handle your request.',
} as const;
/** What overpass-api.de refuses since April 2026: no User-Agent, or one a library sends by default. */
const STOCK_USER_AGENT = /^(?:node|undici|(?:curl|wget|python-requests|python-urllib|axios|go-http-client|okhttp)\/.*)$/i;

export async function startOverpassStandIn(options: OverpassStandInOptions = {}): Promise<OverpassStandIn> {
  const places = options.places ?? defaultStandInPlaces();
  const failNext = [...(options.faults?.failNext ?? [])];
  const requests: string[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`overpass stand-in crashed: ${String(error)}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (url.pathname !== '/api/interpreter') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    if (req.method !== 'GET' && req.method !== 'POST') {
      return void res.writeHead(405, { allow: 'GET, POST', 'content-type': 'text/plain' }).end('Method Not Allowed');
    }
    const query = req.method === 'GET' ? (url.searchParams.get('data') ?? '') : queryFromBody(await readBody(req));
    requests.push(query);

    const userAgent = req.headers['user-agent'] ?? '';
    if (userAgent.trim() === '' || STOCK_USER_AGENT.test(userAgent)) {
      return void sendErrorPage(res, 406, 'Not Acceptable: set a User-Agent that identifies your application.');
    }
    const fault = failNext.shift();
    if (fault === 429 || fault === 504) return void sendErrorPage(res, fault, DISPATCHER_ERRORS[fault]);
    if (query.trim() === '') return void sendErrorPage(res, 400, 'encoding error: Your input contains only whitespace.');

    let program: Program;
    try {
      program = parseOverpassQl(query);
    } catch (error) {
      if (!(error instanceof QlError)) throw error;
      return void sendErrorPage(res, 400, `line ${error.line}: ${error.kind} error: ${error.message}`);
    }
    if (fault === 'runtime-error') {
      const timeout = Number(program.settings.get('timeout') ?? 180);
      return void sendJson(res, [], `runtime error: Query timed out in "query" at line 1 after ${timeout + 1} seconds.`);
    }
    sendJson(res, runProgram(program, places));
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}/api/interpreter`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Like the real CGI: a form field `data=` when there is one, else the raw body is the query. */
function queryFromBody(body: string): string {
  const form = new URLSearchParams(body);
  return form.get('data') ?? body;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, elements: OutputElement[], remark?: string): void {
  const timestamp = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const body = {
    version: 0.6,
    generator: GENERATOR,
    osm3s: { timestamp_osm_base: timestamp, copyright: COPYRIGHT },
    elements,
    ...(remark === undefined ? {} : { remark }),
  };
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body, null, 2));
}

/** The XHTML page the interpreter writes for errors (frontend/web_output.cc). */
function sendErrorPage(res: ServerResponse, status: number, message: string): void {
  const html =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"\n    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n' +
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n<head>\n' +
    '  <meta http-equiv="content-type" content="text/html; charset=utf-8" lang="en"/>\n  <title>OSM3S Response</title>\n</head>\n<body>\n\n' +
    '<p>The data included in this document is from www.openstreetmap.org. The data is made available under ODbL.</p>\n' +
    `<p><strong style="color:#FF0000">Error</strong>: ${escapeHtml(message)} </p>\n\n</body>\n</html>\n`;
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(html);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
