// The import's database half as one API function, `public.import_layer(layer, features, upsert)`,
// written from the layer registry (../shared/layers.ts) into a migration: features already read,
// mapped, converted and validated (by the command line, or by the page's worker with the same code)
// are staged, checked by PostGIS against the layer and the database, and written, all or nothing,
// as the caller: row level security decides who may write what. The command line and the page call
// the same function. `npm run import-sql` writes the migration; a test holds it to this file.
import { layers, layerNames, type LayerSpec, type PropertySpec } from '../shared/layers.ts'

const sqlTypes: Record<PropertySpec['type'], string> = {
  text: 'text',
  integer: 'integer',
  number: 'numeric',
  boolean: 'boolean',
  date: 'date',
  'text[]': 'text[]',
}

/** A literal for SQL text: the reasons are written from the registry, never from input. */
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`

/** The problems a layer's staged features have in the database, one `select idx, code, reason` each. */
function checks(spec: LayerSpec, upsert: boolean): string[] {
  const out = [
    `select idx, code, 'geometry is not valid: ' || st_isvalidreason(geom) as reason
       from import_staged where not st_isvalid(geom)`,
  ]
  if (!upsert)
    out.push(`select s.idx, s.code, ${literal(`code already exists in the ${spec.name} layer (import with --upsert to replace it)`)} as reason
       from import_staged s join atlas.${spec.table} t on t.code = s.code`)
  if (spec.parent) {
    const parent = layers[spec.parent.layer]
    out.push(`select s.idx, s.code, 'unknown parent_code ' || s.parent_code || ${literal(`: no such ${parent.name}`)} as reason
       from import_staged s where s.parent_code is not null
         and not exists (select 1 from atlas.${parent.table} p where p.code = s.parent_code)`)
    if (spec.parent.nested)
      out.push(`select s.idx, s.code,
              ${literal(`lies outside its parent ${parent.name} `)} || p.code || ': '
                || round(st_area(st_difference(s.geom, p.geom)::geography)::numeric, 1)
                || ' m² lie more than ' || atlas.nesting_tolerance_m() || ' m outside' as reason
       from import_staged s join atlas.${parent.table} p on p.code = s.parent_code
       where st_isvalid(s.geom)
         and not st_coveredby(s.geom, st_buffer(p.geom::geography, atlas.nesting_tolerance_m())::geometry)`)
  }
  for (const property of spec.properties) {
    if (!property.links) continue
    out.push(`select s.idx, s.code, ${literal(`"${property.name}" names `)} || string_agg(l, ', ' order by l) || ${literal(`: no such ${spec.name} item in this file or in the database`)} as reason
       from import_staged s cross join lateral jsonb_array_elements_text(
         case when jsonb_typeof(s.p -> ${literal(property.name)}) = 'array' then s.p -> ${literal(property.name)} else '[]'::jsonb end) l
       where not exists (select 1 from import_staged o where o.code = l)
         and not exists (select 1 from atlas.${spec.table} t where t.code = l)
       group by s.idx, s.code`)
  }
  if (spec.name === 'gate')
    // a gate lies on its compound, a residence drawn as its outline (atlas.gate_on_compound says the same)
    out.push(
      `select s.idx, s.code, 'residence ' || p.code || ' is a point, not a compound: gates belong to a compound drawn as its outline' as reason
       from import_staged s join atlas.residence p on p.code = s.parent_code
       where geometrytype(p.geom) not in ('POLYGON', 'MULTIPOLYGON')`,
      `select s.idx, s.code, 'lies ' || round(st_distance(s.geom::geography, p.geom::geography)::numeric, 1) || ' m outside its compound '
                || p.code || ' (more than ' || atlas.nesting_tolerance_m() || ' m from its outline)' as reason
       from import_staged s join atlas.residence p on p.code = s.parent_code
       where st_isvalid(s.geom) and geometrytype(p.geom) in ('POLYGON', 'MULTIPOLYGON')
         and st_distance(s.geom::geography, p.geom::geography) > atlas.nesting_tolerance_m()`,
    )
  if (spec.name === 'backlog' && upsert)
    // the status of an item already there moves as the workflow allows, as it does in the app
    out.push(`select s.idx, s.code, 'status ' || atlas.backlog_step_problem(t.status, s.p ->> 'status') as reason
       from import_staged s join atlas.backlog_item t on t.code = s.code
       where nullif(s.p ->> 'status', '') is not null and atlas.backlog_step_problem(t.status, s.p ->> 'status') is not null`)
  return out
}

/**
 * A list of links (a backlog item's depends_on) that closes a cycle, once the file is written: the
 * shortest cycle through each staged item, reported once for all the items on it, in file order.
 */
function cycleCheck(spec: LayerSpec, property: PropertySpec, links: NonNullable<PropertySpec['links']>): string {
  return `
    for cycle_found in
      with recursive edge(source, target) as (
        select s.code, l from import_staged s cross join lateral jsonb_array_elements_text(s.p -> ${literal(property.name)}) l
        where jsonb_typeof(s.p -> ${literal(property.name)}) = 'array'
        union
        select k.${links.from}, k.${links.to} from atlas.${links.table} k
        where not exists (select 1 from import_staged s where s.code = k.${links.from})),
      -- who reaches whom (a closure, polynomial), then simple paths only within a start's cycle
      reach(start, at) as (
        select source, target from edge
        union
        select r.start, e.target from reach r join edge e on e.source = r.at),
      walk(start, at, path) as (
        select e.source, e.target, array[e.source, e.target] from edge e
        where e.source in (select code from import_staged) and exists (select 1 from reach r where r.start = e.source and r.at = e.source)
        union all
        select w.start, e.target, w.path || e.target from walk w join edge e on e.source = w.at
        where w.at <> w.start and not e.target = any (w.path[2:])
          and exists (select 1 from reach r where r.start = e.target and r.at = w.start)),
      cycle as (
        select distinct on (w.start) w.start, w.path from walk w where w.at = w.start order by w.start, cardinality(w.path), w.path)
      select s.idx, s.code, c.path from import_staged s join cycle c on c.start = s.code order by s.idx
    loop
      if not cycle_found.code = any (reported) then
        reported := reported || cycle_found.path;
        problems := problems || jsonb_build_object('index', cycle_found.idx, 'code', cycle_found.code,
          'reason', ${literal(`"${property.name}" closes a cycle: `)} || array_to_string(cycle_found.path, ' → '));
      end if;
    end loop;`
}

/** The staged features written into the layer's table, its links and (for walk_edge) its nodes. */
function write(spec: LayerSpec, upsert: boolean): string {
  const columns = ['code']
  const values = ['s.code']
  for (const property of spec.properties) {
    if (property.links) continue
    columns.push(property.column ?? property.name)
    const read = `nullif(s.p ->> ${literal(property.name)}, '')::${sqlTypes[property.type]}`
    if (spec.name === 'walk_edge' && property.name === 'length_m') values.push(`coalesce(${read}, st_length(s.geom::geography)::numeric)`)
    else if (spec.name === 'walk_edge' && property.name === 'steps') values.push(`coalesce(${read}, s.p ->> 'highway' = 'steps')`)
    else if (property.default !== undefined) values.push(`coalesce(${read}, ${JSON.stringify(property.default)})`)
    else values.push(read)
  }
  if (spec.parent) {
    columns.push(spec.parent.column)
    values.push('s.parent_code')
  }
  columns.push('geom')
  values.push('s.geom')
  const updates = columns.filter((c) => c !== 'code').map((c) => `${c} = excluded.${c}`)
  const statements = [
    `with written as (
        insert into atlas.${spec.table} (${columns.join(', ')})
        select ${values.join(', ')} from import_staged s order by s.idx
        on conflict (code) do ${upsert ? `update set ${updates.join(', ')}` : 'nothing'}
        returning (xmax = 0) as inserted)
      select count(*) filter (where w.inserted), count(*) into n_inserted, n_written from written w;`,
  ]
  if (spec.name === 'walk_edge')
    statements.push(`insert into atlas.walk_node (geom)
        select distinct p from (
          select st_startpoint(geom) p from atlas.walk_edge where source is null
          union select st_endpoint(geom) from atlas.walk_edge where target is null) ends
        on conflict (geom) do nothing;
      update atlas.walk_edge e set source = n.id from atlas.walk_node n where e.source is null and n.geom = st_startpoint(e.geom);
      update atlas.walk_edge e set target = n.id from atlas.walk_node n where e.target is null and n.geom = st_endpoint(e.geom);`)
  for (const property of spec.properties) {
    const links = property.links
    if (!links) continue
    if (upsert) statements.push(`delete from atlas.${links.table} where ${links.from} in (select code from import_staged);`)
    statements.push(`insert into atlas.${links.table} (${links.from}, ${links.to})
        select distinct s.code, l from import_staged s cross join lateral jsonb_array_elements_text(s.p -> ${literal(property.name)}) l
        where jsonb_typeof(s.p -> ${literal(property.name)}) = 'array';`)
  }
  return statements.join('\n      ')
}

function branch(spec: LayerSpec, upsert: boolean): string {
  const union = checks(spec, upsert).join('\n       union all\n       ')
  const cycles = spec.properties.filter((p) => p.links).map((p) => cycleCheck(spec, p, p.links!))
  return `
    select coalesce(jsonb_agg(jsonb_build_object('index', idx, 'code', code, 'reason', reason) order by idx), '[]'::jsonb) into problems from (
       ${union}) checked;${cycles.join('')}
    if jsonb_array_length(problems) = 0 then
      ${write(spec, upsert)}
    end if;`
}

/** The migration's text: the function, its comment and its grants. */
export function importFunctionSql(): string {
  const geometry = (spec: LayerSpec) => (spec.geometry === 'polygon' ? 'st_multi(g)' : 'g')
  const branches = layerNames
    .map((name) => {
      const spec = layers[name]
      return `  elsif layer = ${literal(name)} then
    create temp table import_staged on commit drop as
      select (e.ordinality - 1)::integer as idx, e.value -> 'p' as p, e.value -> 'p' ->> 'code' as code,
             nullif(e.value -> 'p' ->> 'parent_code', '') as parent_code, ${geometry(spec)} as geom
      from jsonb_array_elements(features) with ordinality e,
           lateral (select st_geomfromwkb(decode(e.value ->> 'g', 'base64'), 4326) as g) read;
    if upsert then${branch(spec, true)}
    else${branch(spec, false)}
    end if;`
    })
    .join('\n')
  return `-- Generated by \`npm run import-sql\` from src/db/importSql.ts and the layer registry (src/shared/layers.ts):
-- edit those and run it again, never this file.
--
-- The import's database half as one API function, for the command line (\`atlas import\`) and the
-- page's import alike: features already read, mapped, converted to WGS-84 and validated are staged
-- (their geometry as base64 WKB), checked by PostGIS against the layer and the database (validity,
-- codes taken, parents known and containing, links known and acyclic, backlog status steps), and
-- written only if none is refused, as the caller: row level security decides who writes what.
-- Returns {"problems": [{"index", "code", "reason"}]} when refused, else {"inserted", "updated"}.
-- Sections: functions · grants

set search_path = atlas, extensions, public;

-- ── functions ────────────────────────────────────────────────────────────────────────────
create or replace function public.import_layer(layer text, features jsonb, upsert boolean default false) returns jsonb
language plpgsql
security invoker
set search_path = atlas, extensions, public
as $$
declare
  problems jsonb := '[]'::jsonb;
  reported text[] := '{}';
  cycle_found record;
  n_inserted integer := 0;
  n_written integer := 0;
begin
  if jsonb_typeof(features) is distinct from 'array' then
    raise exception 'features must be a JSON array of {"p": properties, "g": base64 WKB}' using errcode = '22023';
  end if;
  if atlas.layer_table(layer) is null then
    perform atlas.unknown_layer(layer);
  end if;
  -- through the API, the caller's role must be one the layer's table lets write (the owner, as the
  -- command line connects, is not asked)
  if current_user in ('anon', 'authenticated') and not atlas.may_write(atlas.layer_table(layer)) then
    raise exception using errcode = '42501', message = format('your role may not write the %s layer', layer),
      hint = 'Planners write the units, the basemap, the walking network, facilities and homes; the construction bureau writes the backlog.';
  end if;
  drop table if exists pg_temp.import_staged;
  if false then null;
${branches}
  end if;
  drop table if exists pg_temp.import_staged;
  if jsonb_array_length(problems) > 0 then
    return jsonb_build_object('problems', (select jsonb_agg(x order by (x ->> 'index')::integer) from jsonb_array_elements(problems) x));
  end if;
  return jsonb_build_object('inserted', n_inserted, 'updated', n_written - n_inserted);
end
$$;
comment on function public.import_layer(text, jsonb, boolean) is
  'Stages, checks and writes a layer''s features, all or nothing, as the caller; returns the problems or the counts';

-- ── grants ───────────────────────────────────────────────────────────────────────────────
revoke all on function public.import_layer(text, jsonb, boolean) from public;
grant execute on function public.import_layer(text, jsonb, boolean) to anon, authenticated, service_role;
`
}

/**
 * The migration that holds the function as it stands. A new layer writes it into a new migration
 * (the earlier ones stay as they landed): 20261208000100_import.sql, then …_import_gates.sql.
 */
export const importMigration = 'supabase/migrations/20261209000400_import_gates.sql'
