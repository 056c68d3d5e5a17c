-- Things on the ground: service facilities, the walking network, residences, the
-- infrastructure backlog, the service circles computed around facilities, and the basemap.
-- Sections: types · tables · triggers · RLS · helpers · policies · functions · grants

set search_path = atlas, extensions, public;

-- ── tables ───────────────────────────────────────────────────────────────────────────────
create table atlas.facility (
  code text primary key check (code ~ '^[A-Za-z0-9_-]{2,32}$'),
  name text not null check (length(name) between 1 and 100),
  facility_type text not null check (facility_type in ('party_service_centre', 'health_station', 'elderly_care',
    'canteen', 'children', 'culture', 'employment', 'pioneer_station')),
  community_code text references atlas.community (code) on update cascade on delete set null,
  floor_area_m2 numeric check (floor_area_m2 >= 0),
  geom extensions.geometry(Point, 4326) not null,
  updated_at timestamptz not null default now()
);
comment on table atlas.facility is 'Service facilities: the centres of 8-minute service circles';

-- Nodes are the distinct end points of the edges; the importer derives them so that routing
-- (our engine, or pgr_drivingDistance) reads source/target directly.
create table atlas.walk_node (
  id bigint generated always as identity primary key,
  geom extensions.geometry(Point, 4326) not null unique
);

create table atlas.walk_edge (
  code text primary key check (code ~ '^[A-Za-z0-9_-]{1,40}$'),
  name text,
  highway text not null,
  steps boolean not null default false,
  length_m double precision not null check (length_m >= 0),
  source bigint references atlas.walk_node (id),
  target bigint references atlas.walk_node (id),
  geom extensions.geometry(LineString, 4326) not null check (extensions.st_npoints(geom) >= 2)
);
comment on table atlas.walk_edge is 'The walking network: undirected edges between nodes, length in metres';

create table atlas.residence (
  code text primary key check (code ~ '^[A-Za-z0-9_-]{2,40}$'),
  name text,
  community_code text references atlas.community (code) on update cascade on delete set null,
  households integer not null check (households >= 0),
  residents integer not null check (residents >= 0),
  geom extensions.geometry(Geometry, 4326) not null
    check (extensions.st_isvalid(geom) and extensions.geometrytype(geom) in ('POINT', 'POLYGON', 'MULTIPOLYGON'))
);
comment on table atlas.residence is 'Residential buildings or addresses: who a service circle reaches';

create table atlas.backlog_item (
  code text primary key check (code ~ '^[A-Za-z0-9_-]{2,32}$'),
  name text not null check (length(name) between 1 and 200),
  category text not null check (category in ('硬化', '亮化', '绿化', '洁化', '供水', '排污')),
  community_code text not null references atlas.community (code) on update cascade on delete restrict,
  cost_yuan numeric not null check (cost_yuan >= 0),
  households_served integer check (households_served >= 0),
  complaints integer check (complaints >= 0),
  severity smallint check (severity between 1 and 5),
  status text not null default 'proposed' check (status in ('proposed', 'planned', 'in_progress', 'done')),
  requested_on date,
  geom extensions.geometry(Geometry, 4326) not null check (extensions.st_isvalid(geom)),
  updated_at timestamptz not null default now()
);
comment on table atlas.backlog_item is 'Infrastructure works owed to converted villages: 硬化 亮化 绿化 洁化 供水 排污';

create table atlas.service_circle (
  id bigint generated always as identity primary key,
  facility_code text not null references atlas.facility (code) on update cascade on delete cascade,
  minutes numeric not null check (minutes > 0 and minutes <= 60),
  speed_m_per_min numeric not null check (speed_m_per_min > 0 and speed_m_per_min <= 200),
  method text not null,
  computed_at timestamptz not null default now(),
  geom extensions.geometry(MultiPolygon, 4326) not null check (extensions.st_isvalid(geom)),
  unique (facility_code, minutes, speed_m_per_min, method)
);
comment on table atlas.service_circle is 'The area reached on foot from a facility in so many minutes at a stated speed';

create table atlas.basemap_feature (
  code text primary key check (code ~ '^[A-Za-z0-9_-]{2,40}$'),
  name text,
  kind text not null check (kind in ('outline', 'river', 'water', 'park', 'road')),
  geom extensions.geometry(Geometry, 4326) not null check (extensions.st_isvalid(geom))
);
comment on table atlas.basemap_feature is 'The offline basemap drawn from the project''s own data';

create index facility_geom_idx on atlas.facility using gist (geom);
create index walk_edge_geom_idx on atlas.walk_edge using gist (geom);
create index walk_edge_source_idx on atlas.walk_edge (source);
create index walk_edge_target_idx on atlas.walk_edge (target);
create index facility_community_idx on atlas.facility (community_code);
create index residence_community_idx on atlas.residence (community_code);
create index service_circle_facility_idx on atlas.service_circle (facility_code);
create index residence_geom_idx on atlas.residence using gist (geom);
create index backlog_item_geom_idx on atlas.backlog_item using gist (geom);
create index backlog_item_community_idx on atlas.backlog_item (community_code);
create index service_circle_geom_idx on atlas.service_circle using gist (geom);
create index basemap_feature_geom_idx on atlas.basemap_feature using gist (geom);

-- ── triggers ─────────────────────────────────────────────────────────────────────────────
create trigger facility_touch before update on atlas.facility for each row execute function atlas.touch_updated_at();
create trigger backlog_item_touch before update on atlas.backlog_item for each row execute function atlas.touch_updated_at();

-- ── RLS ──────────────────────────────────────────────────────────────────────────────────
alter table atlas.facility enable row level security;
alter table atlas.walk_node enable row level security;
alter table atlas.walk_edge enable row level security;
alter table atlas.residence enable row level security;
alter table atlas.backlog_item enable row level security;
alter table atlas.service_circle enable row level security;
alter table atlas.basemap_feature enable row level security;

-- ── policies ─────────────────────────────────────────────────────────────────────────────
select atlas.create_role_policies(t, 'planner') from unnest(array[
  'atlas.facility', 'atlas.walk_node', 'atlas.walk_edge', 'atlas.residence', 'atlas.service_circle', 'atlas.basemap_feature'
]::regclass[]) t;
-- The construction bureau keeps the backlog.
select atlas.create_role_policies('atlas.backlog_item', 'works');

-- ── grants ───────────────────────────────────────────────────────────────────────────────
grant select, insert, update, delete on atlas.facility, atlas.walk_node, atlas.walk_edge, atlas.residence,
  atlas.backlog_item, atlas.service_circle, atlas.basemap_feature to authenticated;
grant all on all tables in schema atlas to service_role;
grant usage on all sequences in schema atlas to authenticated, service_role;
