// Demo data for the mock server, shaped as the API contract says. Times are
// relative to the moment the mock starts so the board shows a live picture.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const refdir = fileURLToPath(new URL('../../../data/refdata/london/', import.meta.url));

function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else if (c !== '\r') field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  const [head, ...body] = rows;
  return body.filter((r) => r.length > 1).map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

export function loadReference() {
  const bcuRows = parseCsv(readFileSync(refdir + 'met_bcus.csv', 'utf8'));
  const boroughRows = parseCsv(readFileSync(refdir + 'london_boroughs.csv', 'utf8'));
  const bcus = bcuRows.map((r) => {
    const names = r.boroughs.split(';');
    const codes = r.borough_ons_codes.split(';');
    return {
      code: r.bcu_code_unverified,
      name: r.bcu_name,
      boroughs: codes.map((code, i) => ({ code, name: names[i] })),
      population: Number(r.population_census2021),
    };
  });
  const boroughs = boroughRows.map((r) => ({
    code: r.ons_code,
    name: r.name,
    bcu: r.met_bcu_code_unverified || null,
    force: r.police_force,
    centroid: { lat: Number(r.centroid_lat), lon: Number(r.centroid_lon) },
  }));
  const boundaries = readFileSync(refdir + 'london_boroughs_lad2021.geojson', 'utf8');
  return { bcus, boroughs, boundaries };
}

export const kRoles = [
  'call_handler', 'controller', 'supervisor', 'officer', 'mh_team', 'clinician',
  'amhp', 'ambulance', 'hub111', 'analyst', 'auditor', 'admin',
];

const kAgencies = {
  clinician: { id: 'slam', name: 'South London and Maudsley NHS FT' },
  amhp: { id: 'camden-amhp', name: 'Camden AMHP Service' },
  ambulance: { id: 'las', name: 'London Ambulance Service' },
  hub111: { id: 'nhs111', name: 'NHS 111 London' },
};

export function demoUser(role) {
  const words = role.replace('hub111', 'NHS 111 hub').replace(/_/g, ' ');
  return {
    id: `user-${role}`,
    username: role,
    name: `Demo ${words.replace(/\b\w/g, (c) => c.toUpperCase())}`,
    role,
    agency: kAgencies[role] ?? { id: 'met', name: 'Metropolitan Police Service' },
  };
}

/** ISO-8601 UTC with microseconds, as the server writes times. */
export function iso(ms) {
  return new Date(ms).toISOString().replace('Z', '000Z');
}

export function demoBoard(t0) {
  const min = 60_000;
  const inc = (n, grade, type, flags, lat, lon, address, borough, bcu, createdAgo, targetIn, assigned, rec, desc) => ({
    id: `inc-${n}`,
    reference: `CAD ${n}/04Jan25`,
    grade,
    type,
    flags,
    status: assigned > 0 ? 'resourced' : 'open',
    description: desc,
    location: { lat, lon, address, type: 'public_place' },
    borough,
    bcu,
    created_at: iso(t0 - createdAgo * min),
    target_at: targetIn === null ? null : iso(t0 + targetIn * min),
    assigned_count: assigned,
    recommended_attendance: rec,
  });
  const camden = { code: 'E09000007', name: 'Camden' };
  const lambeth = { code: 'E09000022', name: 'Lambeth' };
  const croydon = { code: 'E09000008', name: 'Croydon' };
  const ealing = { code: 'E09000009', name: 'Ealing' };
  const hackney = { code: 'E09000012', name: 'Hackney' };
  const cn = { code: 'CN', name: 'Central North' };
  const cs = { code: 'CS', name: 'Central South' };
  const sn = { code: 'SN', name: 'South' };
  const wa = { code: 'WA', name: 'West' };
  const ce = { code: 'CE', name: 'Central East' };
  const incidents = [
    inc(41, 'S', 'concern_for_welfare', ['mental_health'], 51.4613, -0.1156, 'Brixton Station Road, SW9', lambeth, cs, 50, -8, 1, 2, 'Man in distress on the bridge parapet, talking of ending his life.'),
    inc(42, 'I', 'mental_health_crisis', ['mental_health', 'weapons'], 51.5390, -0.1426, 'Camden High Street, NW1', camden, cn, 6, 9, 2, 3, 'Woman with a knife threatening herself outside a shop.'),
    inc(43, 'E', 'missing_person', ['vulnerability'], 51.3762, -0.0982, 'Croydon University Hospital, CR7', croydon, sn, 95, 40, 0, 1, 'Informal patient left the ward; staff concerned.'),
    inc(44, 'I', 'emergency_button', [], 51.5130, -0.3040, 'Ealing Broadway, W5', ealing, wa, 2, 13, 4, 4, 'Emergency button pressed by WA21.'),
    inc(45, 'R', 'advice', ['mental_health'], 51.5450, -0.0553, 'Mare Street, E8', hackney, ce, 180, null, 0, 0, 'Caller asking for advice about a relative; signposted to NHS 111 option 2.'),
    inc(46, 'S', 'concern_for_welfare', ['mental_health', 'children'], 51.5465, -0.1058, 'Holloway Road, N7', { code: 'E09000019', name: 'Islington' }, cn, 20, 35, 0, 2, '15-year-old reported by school as at risk.'),
  ];
  const crew = (collar, name, skills = []) => ({ collar, name, rank: 'PC', skills });
  const unit = (call_sign, bcu, status, lat, lon, fixAgoSec, crewList) => ({
    id: `unit-${call_sign}`,
    call_sign,
    bcu,
    status,
    location: lat === null ? null : { lat, lon, fixed_at: iso(t0 - fixAgoSec * 1000), accuracy_m: 12 },
    crew: crewList,
  });
  const units = [
    unit('CN11', 'CN', 'at_scene', 51.5392, -0.1424, 40, [crew('211CN', 'Patel', ['mental_health_trained']), crew('305CN', 'Okafor')]),
    unit('CN12', 'CN', 'en_route', 51.5301, -0.1240, 95, [crew('412CN', 'Hughes')]),
    unit('CN14', 'CN', 'available', 51.5520, -0.1100, 130, [crew('518CN', 'Reid', ['taser'])]),
    unit('CS21', 'CS', 'at_scene', 51.4615, -0.1150, 20, [crew('122CS', 'Mensah', ['mental_health_trained'])]),
    unit('CS22', 'CS', 'available', 51.4800, -0.0900, 400, [crew('233CS', 'Walsh'), crew('244CS', 'Nowak')]),
    unit('SN31', 'SN', 'committed_elsewhere', 51.3700, -0.1000, 900, [crew('341SN', 'Clarke')]),
    unit('WA21', 'WA', 'at_scene', 51.5131, -0.3042, 10, [crew('155WA', 'Singh'), crew('166WA', 'Byrne')]),
    unit('WA22', 'WA', 'en_route', 51.5200, -0.2800, 60, [crew('177WA', 'Adeyemi')]),
    unit('WA23', 'WA', 'at_scene', 51.5128, -0.3038, 30, [crew('188WA', 'Kowalski')]),
    unit('WA24', 'WA', 'at_scene', 51.5133, -0.3045, 25, [crew('199WA', 'Evans')]),
    unit('CE41', 'CE', 'off_duty', null, null, 0, [crew('411CE', 'Moore')]),
  ];
  const alerts = [
    {
      id: 'alert-1',
      type: 'status_compliance',
      incident_id: 'inc-41',
      unit_ids: ['unit-CS21'],
      message: 'CS21 has been at the scene of CAD 41 for 4 minutes but its status is not "at scene".',
      raised_at: iso(t0 - 3 * min),
      acknowledged_at: null,
      acknowledged_by: null,
    },
    {
      id: 'alert-2',
      type: 'over_attendance',
      incident_id: 'inc-44',
      unit_ids: ['unit-WA23', 'unit-WA24'],
      message: '5 units attending CAD 44 (recommended 4). Suggested stand-down: WA24.',
      raised_at: iso(t0 - 1 * min),
      acknowledged_at: null,
      acknowledged_by: null,
    },
    {
      id: 'alert-0',
      type: 'unrecorded_attendance',
      incident_id: 'inc-42',
      unit_ids: ['unit-CN12'],
      message: 'CN12 near CAD 42 with no assignment.',
      raised_at: iso(t0 - 30 * min),
      acknowledged_at: iso(t0 - 28 * min),
      acknowledged_by: 'Demo Controller',
    },
  ];
  return { incidents, units, alerts };
}
