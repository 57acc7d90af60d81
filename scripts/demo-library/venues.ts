/**
 * Real concert venues with their real positions (checked against Wikipedia /
 * OpenStreetMap, accurate to a few tens of metres) and IANA zones. The venue
 * stand-in for Overpass serves these.
 */
import type { DemoStage, DemoVenue } from './manifest.js';

export const VENUES = {
  paradiso: {
    key: 'paradiso',
    name: 'Paradiso',
    city: 'Amsterdam',
    countryCode: 'NL',
    address: 'Weteringschans 6-8, 1017 SG Amsterdam',
    latitude: 52.3622,
    longitude: 4.8839,
    timeZone: 'Europe/Amsterdam',
  },
  brixton: {
    key: 'brixton',
    name: 'O2 Academy Brixton',
    city: 'London',
    countryCode: 'GB',
    address: '211 Stockwell Road, London SW9 9SL',
    latitude: 51.4653,
    longitude: -0.115,
    timeZone: 'Europe/London',
  },
  fillmore: {
    key: 'fillmore',
    name: 'The Fillmore',
    city: 'San Francisco',
    countryCode: 'US',
    address: '1805 Geary Boulevard, San Francisco, CA 94115',
    latitude: 37.784,
    longitude: -122.433,
    timeZone: 'America/Los_Angeles',
  },
  columbiahalle: {
    key: 'columbiahalle',
    name: 'Columbiahalle',
    city: 'Berlin',
    countryCode: 'DE',
    address: 'Columbiadamm 13-21, 10965 Berlin',
    latitude: 52.4847,
    longitude: 13.3922,
    timeZone: 'Europe/Berlin',
  },
  bowery: {
    key: 'bowery',
    name: 'Bowery Ballroom',
    city: 'New York',
    countryCode: 'US',
    address: '6 Delancey Street, New York, NY 10002',
    latitude: 40.7204,
    longitude: -73.9937,
    timeZone: 'America/New_York',
  },
  vega: {
    key: 'vega',
    name: 'Vega',
    city: 'Copenhagen',
    countryCode: 'DK',
    address: 'Enghavevej 40, 1674 København V',
    latitude: 55.6681,
    longitude: 12.5439,
    timeZone: 'Europe/Copenhagen',
  },
  olympia: {
    key: 'olympia',
    name: "L'Olympia",
    city: 'Paris',
    countryCode: 'FR',
    address: '28 Boulevard des Capucines, 75009 Paris',
    latitude: 48.8703,
    longitude: 2.3283,
    timeZone: 'Europe/Paris',
  },
  firstAvenue: {
    key: 'first-avenue',
    name: 'First Avenue',
    city: 'Minneapolis',
    countryCode: 'US',
    address: '701 First Avenue North, Minneapolis, MN 55403',
    latitude: 44.9784,
    longitude: -93.276,
    timeZone: 'America/Chicago',
  },
  enmore: {
    key: 'enmore',
    name: 'Enmore Theatre',
    city: 'Sydney',
    countryCode: 'AU',
    address: '118-132 Enmore Road, Newtown NSW 2042',
    latitude: -33.8996,
    longitude: 151.174,
    timeZone: 'Australia/Sydney',
  },
} as const satisfies Record<string, DemoVenue>;

/**
 * The demo festival's open-air site: Flevopark in Amsterdam-Oost (Appelsap was held
 * there), its centre as Wikipedia gives it. setlist.fm names each stage
 * "<stage>, Flevopark" and has no venue called just "Flevopark"; OpenStreetMap
 * knows the park, so venue detection finds the site, never a stage.
 */
export const FESTIVAL_SITES = {
  flevopark: {
    site: {
      key: 'flevopark',
      name: 'Flevopark',
      city: 'Amsterdam',
      countryCode: 'NL',
      address: 'Valentijnkade, 1098 XA Amsterdam',
      latitude: 52.3642,
      longitude: 4.9486,
      timeZone: 'Europe/Amsterdam',
    },
    /** About 240 m apart, each about 120 m from the centre: photos at either are within the venue search radius. */
    stages: [
      { name: 'Main Stage', latitude: 52.3637, longitude: 4.947 },
      { name: 'Meadow Stage', latitude: 52.3646, longitude: 4.9502 },
    ],
  },
} as const satisfies Record<string, { site: DemoVenue; stages: readonly DemoStage[] }>;
