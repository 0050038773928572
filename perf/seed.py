"""Seed the benchmark's scale (docs/targets.md), or a fraction of it, into a PostgreSQL database of its own.

At full scale: 1,000,000 sites across 2,000 partners (the large one owns 50,000), 1,000,000 orders with
two lines and two events each (the large partner's 50,000 orders included), 200,000 opportunities.
``Counts.at(0.01)`` scales every count to 1 % (with floors, see ``Counts``).

The rows are generated inside PostgreSQL (``INSERT … SELECT … FROM generate_series``): one statement
per table, no row travels through Python. The secondary indexes of the big tables are dropped first
and built again once the rows are in, which is how bulk loads are done on PostgreSQL; then ANALYZE and
VACUUM leave the statistics and visibility map a live database would have.

Every value is a pure function of the row number (no random()), so two seeds give the same data.
A column the seed does not name takes its database default (the models' ``db_default``: country,
role, language, flags…).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction


@dataclass(frozen=True)
class Counts:
    """The row counts of one seed: targets.md's scale times ``scale`` (``0.01`` is 1 %), with floors that
    keep every measurement meaningful (B8 takes 20 submitted orders, one order in 20 is submitted)."""

    scale: float
    partners: int
    sites: int
    large_partner_rows: int  # the large partner's sites, and as many orders (order i is on site i + 1)
    orders: int
    opportunities: int
    large_partner_opportunities: int

    @classmethod
    def at(cls, scale: float = 1.0) -> Counts:
        if not 0 < scale <= 1:
            raise ValueError(f"the scale is a fraction of targets.md's, in (0, 1]: {scale}")

        def scaled(full: int, floor: int) -> int:
            return max(floor, round(full * scale))

        sites = scaled(1_000_000, 1_000)
        return cls(
            scale=scale,
            partners=scaled(2_000, 5),
            sites=sites,
            large_partner_rows=scaled(50_000, 100),
            orders=sites,
            opportunities=scaled(200_000, 200),
            large_partner_opportunities=scaled(10_000, 20),
        )

    @property
    def orders_per_year(self) -> int:
        # Three years of orders, numbered per year.
        return self.orders // 3 + 1

    def describe(self) -> str:
        return (f"{self.sites:,} sites across {self.partners:,} partners ({self.large_partner_rows:,} for the"
                f" large one), {self.orders:,} orders with {2 * self.orders:,} lines, {self.opportunities:,}"
                " opportunities")


FULL = Counts.at(1.0)

PASSWORD = "bench-only-1234"
LARGE_PARTNER_USER = "partner@bench.example"
SALES_ADMIN_USER = "adv@bench.example"
CLOUD_USER = "cloud@bench.example"

BIG_TABLES = (
    "mybusiness_user",
    "customer_sites_site",
    "opportunities_opportunity",
    "orders_order",
    "orders_orderline",
    "orders_orderevent",
    "orders_activation",
    "certificates_certificate",
)

# French cities with their department, so postal codes look real.
CITIES = [
    ("Paris", "75"), ("Marseille", "13"), ("Lyon", "69"), ("Toulouse", "31"), ("Nice", "06"), ("Nantes", "44"),
    ("Montpellier", "34"), ("Strasbourg", "67"), ("Bordeaux", "33"), ("Lille", "59"), ("Rennes", "35"),
    ("Reims", "51"), ("Toulon", "83"), ("Saint-Étienne", "42"), ("Le Havre", "76"), ("Grenoble", "38"),
    ("Dijon", "21"), ("Angers", "49"), ("Nîmes", "30"), ("Villeurbanne", "69"), ("Clermont-Ferrand", "63"),
    ("Le Mans", "72"), ("Aix-en-Provence", "13"), ("Brest", "29"), ("Tours", "37"), ("Amiens", "80"),
    ("Limoges", "87"), ("Annecy", "74"), ("Perpignan", "66"), ("Metz", "57"), ("Besançon", "25"),
    ("Orléans", "45"), ("Rouen", "76"), ("Mulhouse", "68"), ("Caen", "14"), ("Nancy", "54"), ("Argenteuil", "95"),
    ("Roubaix", "59"), ("Tourcoing", "59"), ("Avignon", "84"), ("Poitiers", "86"), ("Pau", "64"),
    ("La Rochelle", "17"), ("Colmar", "68"), ("Quimper", "29"), ("Vannes", "56"), ("Brive-la-Gaillarde", "19"),
    ("Bayonne", "64"), ("Chambéry", "73"), ("Valence", "26"),
]
NAME_FIRST = [
    "Atelier", "Boulangerie", "Cabinet", "Compagnie", "Distribution", "Entreprise", "Établissements", "Ferme",
    "Garage", "Groupe", "Imprimerie", "Laboratoire", "Maison", "Menuiserie", "Négoce", "Pharmacie", "Quincaillerie",
    "Scierie", "Société", "Transports",
]
NAME_SECOND = [
    "Dupont", "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
    "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet",
    "Dupuis", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure", "André", "Mercier",
    "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin",
    "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier",
]
NAME_THIRD = ["et Fils", "Frères", "SA", "SARL", "SAS", "Industries", "Services", "Conseil", "Logistique", "Bâtiment"]


def _sql_array(values: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


CITY_NAMES = _sql_array([c for c, _d in CITIES])
CITY_DEPTS = _sql_array([d for _c, d in CITIES])
FIRSTS, SECONDS, THIRDS = _sql_array(NAME_FIRST), _sql_array(NAME_SECOND), _sql_array(NAME_THIRD)


def _mix(i: str, multiplier: int, modulus: int) -> str:
    """A cheap deterministic hash of the integer expression ``i``: neighbouring rows get unrelated values."""
    return f"((({i})::bigint * {multiplier}) % {modulus})"


def _company_name(i: str) -> str:
    """A SQL expression for a company name that is a pure function of the integer expression ``i``."""
    h = _mix(i, 2654435761, 4294967291)
    return (
        f"({FIRSTS})[1 + {h} % {len(NAME_FIRST)}]"
        f" || ' ' || ({SECONDS})[1 + ({h} / {len(NAME_FIRST)}) % {len(NAME_SECOND)}]"
        f" || ' ' || ({THIRDS})[1 + ({h} / 1000) % {len(NAME_THIRD)}] || ' ' || ({h} % 997)::text"
    )


def _city_index(i: str) -> str:
    return f"(1 + {_mix(i, 40503, 65521)} % {len(CITIES)})"


def _city(i: str) -> str:
    return f"({CITY_NAMES})[{_city_index(i)}]"


def _postal_code(i: str) -> str:
    return f"({CITY_DEPTS})[{_city_index(i)}] || lpad(({_mix(i, 69069, 1000003)} % 1000)::text, 3, '0')"


def _partner_of(i: str, large: int, partners: int) -> str:
    """Row ``i`` (0-based) of a table whose first ``large`` rows go to partner 1, the rest round-robin."""
    return f"(CASE WHEN ({i}) < {large} THEN 1 ELSE 2 + (({i}) - {large}) % {partners - 1} END)"


def partners_sql(c: Counts) -> str:
    return f"""
INSERT INTO mybusiness_partner (id, code, name, is_active, created_at)
SELECT p, 'P' || lpad(p::text, 5, '0'),
       CASE WHEN p = 1 THEN 'Intégrateur Grand Compte' ELSE 'Partenaire ' || lpad(p::text, 4, '0') END,
       true, now() - interval '4 years'
FROM generate_series(1, {c.partners}) AS p
"""


# One user per partner besides the benchmark's own accounts (user id = partner id: the orders'
# creator), with an unusable password; role, language and flags are the columns' database defaults.
def users_sql(c: Counts) -> str:
    return f"""
INSERT INTO mybusiness_user (password, is_superuser, public_id, email, first_name, last_name, date_joined, partner_id)
SELECT '!', false, md5('user' || p)::uuid, 'user' || p || '@partner' || p || '.bench.example', 'Prénom',
       'Utilisateur ' || p, now() - interval '3 years', p
FROM generate_series(1, {c.partners}) AS p
"""


def sites_sql(c: Counts) -> str:
    return f"""
INSERT INTO customer_sites_site (id, number, partner_id, company_name, siret, vat_number, naf_code, address,
                                 postal_code, city, phone, email, hosting, status, created_at,
                                 generation_id, solution_id)
SELECT i + 1, 'C' || lpad(i::text, 6, '0'), {_partner_of("i", c.large_partner_rows, c.partners)}, {_company_name("i")},
       lpad(((i::bigint * 7919) % 100000000000000)::text, 14, '0'), '', '6202A',
       (1 + i % 180) || ' rue de la République', {_postal_code("i")}, {_city("i")},
       '01' || lpad((i % 100000000)::text, 8, '0'), 'contact' || i || '@client.example',
       CASE WHEN i % 3 = 0 THEN 'on_premise' ELSE 'saas' END,
       CASE WHEN i % 20 = 0 THEN 'closed' ELSE 'active' END,
       now() - ((i % 1460) || ' days')::interval,
       1 + i % 2, CASE WHEN i % 2 = 0 THEN 1 + (i / 2) % 3 ELSE 4 + (i / 2) % 3 END
FROM generate_series(0, {c.sites - 1}) AS i
"""


def opportunities_sql(c: Counts) -> str:
    return f"""
INSERT INTO opportunities_opportunity (id, number, name, partner_id, company_name, siret, vat_number, naf_code,
                                       address, postal_code, city, phone, email, contact_name,
                                       contact_function, contact_email, contact_phone, stage, estimated_amount,
                                       expected_close_date, created_at, generation_id, solution_id, owner_id)
SELECT i + 1, 'OPP-' || lpad(i::text, 7, '0'), 'Projet ERP ' || i,
       {_partner_of("i", c.large_partner_opportunities, c.partners)}, {_company_name("i * 13")},
       '', '', '', '', {_postal_code("i * 13")}, {_city("i * 13")}, '', '', 'Contact ' || i, 'Dirigeant',
       'prospect' || i || '@prospect.example', '', (ARRAY['open','open','won','lost'])[1 + i % 4],
       1000 + (i % 500) * 100, current_date + (i % 365), now() - ((i % 700) || ' days')::interval,
       1 + i % 2, CASE WHEN i % 2 = 0 THEN 1 + (i / 2) % 3 ELSE 4 + (i / 2) % 3 END, NULL
FROM generate_series(0, {c.opportunities - 1}) AS i
"""


# Mostly finished orders: the shape of a portal that has been used.
STATUSES = _sql_array(
    ["completed"] * 12 + ["activated", "in_activation", "validated", "submitted", "returned", "rejected",
                          "cancelled", "draft"]
)


def orders_sql(c: Counts) -> str:
    per_year = c.orders_per_year
    return f"""
INSERT INTO orders_order (id, public_id, number, status, created_at, updated_at, submitted_at, partner_id,
                          created_by_id, order_type_id, origin_id, generation_id, solution_id, site_id,
                          new_site_company_name, new_site_siret, new_site_vat_number, new_site_naf_code,
                          new_site_address, new_site_postal_code, new_site_city, new_site_phone,
                          new_site_email, new_site_hosting, customer_name, contact_civility, contact_first_name,
                          contact_last_name, contact_function, contact_email, contact_phone, user_count,
                          business_sector, headcount, delivery_date, certificate_recipients, quote_number, comments)
SELECT i + 1, md5('order' || i)::uuid,
       CASE WHEN s.status = 'draft' THEN NULL
            ELSE 'CMD-' || (2024 + i / {per_year}) || '-' || lpad((1 + i % {per_year})::text, 6, '0')
       END,
       s.status, t.at, t.at + interval '2 days',
       CASE WHEN s.status = 'draft' THEN NULL ELSE t.at + interval '1 hour' END,
       {_partner_of("i", c.large_partner_rows, c.partners)}, {_partner_of("i", c.large_partner_rows, c.partners)},
       2, 2, 1 + i % 2, CASE WHEN i % 2 = 0 THEN 1 + (i / 2) % 3 ELSE 4 + (i / 2) % 3 END, i + 1,
       '', '', '', '', '', '', '', '', '', '', {_company_name("i")}, 'mrs', 'Claire', 'Martin ' || i, 'DAF',
       'claire.martin' || i || '@client.example', '+33612345678', 5 + i % 40, '', NULL,
       (t.at + interval '15 days')::date, '["certificats@client.example"]'::jsonb, '', ''
FROM generate_series(0, {c.orders - 1}) AS i
CROSS JOIN LATERAL (SELECT ({STATUSES})[1 + (i * 7) % 20] AS status) AS s
CROSS JOIN LATERAL (
    SELECT make_timestamptz(2024 + i / {per_year}, 1, 1, 8, 0, 0, 'Europe/Paris')
           + interval '1 minute' * ((i % {per_year})::bigint * 525000 / {per_year}) AS at
) AS t
"""

LINES_SQL = """
INSERT INTO orders_orderline (order_id, reference_id, quantity)
SELECT o.id, r.reference_id, 1 + o.id % 9
FROM orders_order o
CROSS JOIN LATERAL (VALUES (CASE WHEN o.generation_id = 1 THEN 1 ELSE 6 END), (8)) AS r(reference_id)
"""

EVENTS_SQL = """
INSERT INTO orders_orderevent (order_id, actor_id, created_at, from_status, to_status, message)
SELECT o.id, o.created_by_id, o.created_at, '', 'draft', ''
FROM orders_order o
UNION ALL
SELECT o.id, NULL, o.updated_at, 'submitted', o.status, ''
FROM orders_order o WHERE o.status <> 'draft'
UNION ALL
-- The validation of every order that went past it, two hours to three days after its submission (the
-- dashboard's lead time to validation).
SELECT o.id, NULL, o.submitted_at + interval '1 hour' * (2 + o.id % 70), 'submitted', 'validated', ''
FROM orders_order o WHERE o.status IN ('validated', 'in_activation', 'activated', 'completed')
"""

# The cloud team's activations, opened by the validation: done for the activated and completed orders
# (three hours to four days later), to do or blocked (one in ten) for the orders in activation.
ACTIVATIONS_SQL = """
INSERT INTO orders_activation (order_id, status, created_at, queued_at, notified_at, notification_count, done_at,
                               done_by_id, blocked_at, blocked_reason, service_urls)
SELECT o.id, a.status, v.at, v.at, v.at + interval '1 minute', 1,
       CASE WHEN a.status = 'done' THEN v.at + interval '1 hour' * (3 + o.id % 97) END, NULL,
       CASE WHEN a.status = 'blocked' THEN v.at + interval '1 day' END,
       CASE WHEN a.status = 'blocked' THEN 'Accès au serveur du client en attente' ELSE '' END, '{}'::jsonb
FROM orders_order o
CROSS JOIN LATERAL (SELECT o.submitted_at + interval '1 hour' * (2 + o.id % 70) AS at) AS v
CROSS JOIN LATERAL (
    SELECT CASE WHEN o.status IN ('activated', 'completed') THEN 'done'
                WHEN o.id / 20 % 10 = 0 THEN 'blocked' ELSE 'notified' END AS status
) AS a
WHERE o.status IN ('in_activation', 'activated', 'completed')
"""

# A licence certificate for every completed order, sent one hour to two days after the activation.
CERTIFICATES_SQL = """
INSERT INTO certificates_certificate (public_id, order_id, kind, number, pdf, issued_at, sent_at, recipients)
SELECT md5('certificate' || a.order_id)::uuid, a.order_id, 'licence', 'LIC-' || a.order_id,
       'certificates/bench/' || a.order_id || '.pdf', a.done_at + interval '1 hour' * (1 + a.order_id % 47),
       a.done_at + interval '1 hour' * (1 + a.order_id % 47), '["certificats@client.example"]'::jsonb
FROM orders_activation a JOIN orders_order o ON o.id = a.order_id
WHERE o.status = 'completed'
"""


# What the database holds, written by the seed that filled it: a kept database whose scale or schema
# differs from what is asked is seeded again.
MARKER_TABLE = "perf_bench_seed"


# Raised when what the seed writes changes (2: validations, activations and certificates for the dashboard).
SEED_REVISION = 2


def schema_version() -> str:
    """The migration graph's leaves (they change with any model change that reaches the database) and the
    seed's own revision."""
    from django.db.migrations.loader import MigrationLoader

    leaves = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes()
    return f"seed {SEED_REVISION}: " + " ".join(sorted(f"{app}.{name}" for app, name in leaves))


def seeded_as(cursor) -> dict | None:
    """The scale and schema the database was seeded with, or None when no seed finished in it."""
    cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
    if cursor.fetchone()[0] is None:
        return None
    cursor.execute(f"SELECT scale, schema FROM {MARKER_TABLE}")
    row = cursor.fetchone()
    return {"scale": row[0], "schema": row[1]} if row else None


def seed(*, counts: Counts = FULL, out: Callable[[str], None] = print, force: bool = False) -> bool:
    """Fill the database at ``counts`` unless it already is (same scale, same schema); True when it seeded."""
    wanted = {"scale": counts.scale, "schema": schema_version()}
    with connection.cursor() as cursor:
        found = seeded_as(cursor)
        if found == wanted and not force:
            out(f"bench database already seeded at scale {counts.scale:g}: kept")
            _ensure_accounts()
            return False
    if found is not None and found != wanted:
        out(f"bench database seeded at scale {found['scale']:g} on another schema or scale: seeding again")
    started = time.monotonic()
    # One transaction: a failed seed leaves the database (and its indexes) as it was.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        # The rows are consistent by construction: skip the foreign-key triggers while loading
        # (millions of per-row lookups). Needs a superuser, which the benchmark's own server has.
        cursor.execute("SET LOCAL session_replication_role = replica")
        _truncate(cursor)
        indexes = _drop_secondary_indexes(cursor)
        steps = [
            (f"{counts.partners:,} partners", partners_sql(counts)),
            (f"{counts.partners:,} partner users", users_sql(counts)),
            (f"{counts.sites:,} sites", sites_sql(counts)),
            (f"{counts.opportunities:,} opportunities", opportunities_sql(counts)),
            (f"{counts.orders:,} orders", orders_sql(counts)),
            (f"{2 * counts.orders:,} order lines", LINES_SQL),
            ("order events (draft, validation, last status)", EVENTS_SQL),
            ("activations", ACTIVATIONS_SQL),
            ("certificates", CERTIFICATES_SQL),
        ]
        for label, sql in steps:
            step_started = time.monotonic()
            cursor.execute(sql)
            out(f"  {label}: {time.monotonic() - step_started:.1f} s")
        step_started = time.monotonic()
        for definition in indexes:
            cursor.execute(definition)
        out(f"  {len(indexes)} secondary indexes rebuilt: {time.monotonic() - step_started:.1f} s")
        _reset_sequences(cursor)
        cursor.execute(
            "INSERT INTO orders_ordernumbercounter (year, last_value) VALUES (2024, %s), (2025, %s), (2026, %s)"
            " ON CONFLICT (year) DO UPDATE SET last_value = EXCLUDED.last_value",
            [counts.orders_per_year] * 3,
        )
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        _ensure_accounts()
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (scale double precision, schema text)")
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")
        cursor.execute(f"INSERT INTO {MARKER_TABLE} (scale, schema) VALUES (%s, %s)",
                       [wanted["scale"], wanted["schema"]])
    if not connection.in_atomic_block:  # VACUUM cannot run inside a transaction (a test's, say)
        with connection.cursor() as cursor:
            step_started = time.monotonic()
            cursor.execute("VACUUM ANALYZE")
            out(f"  VACUUM ANALYZE: {time.monotonic() - step_started:.1f} s")
    out(f"seeded in {time.monotonic() - started:.0f} s")
    return True


def _truncate(cursor) -> None:
    cursor.execute(
        "TRUNCATE backoffice_leadtimemonth, certificates_certificate, orders_activation, orders_orderevent,"
        " orders_orderline, orders_order, opportunities_opportunity, customer_sites_site, mybusiness_partner,"
        " mybusiness_user RESTART IDENTITY CASCADE"
    )
    cursor.execute("DELETE FROM orders_ordernumbercounter")


def _drop_secondary_indexes(cursor) -> list[str]:
    """Drop the big tables' indexes that back no constraint; return their definitions."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [list(BIG_TABLES)],
    )
    rows = cursor.fetchall()
    for name, _definition in rows:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in rows]


def _reset_sequences(cursor) -> None:
    for table in (*BIG_TABLES, "mybusiness_partner"):
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"
        )


@transaction.atomic
def _ensure_accounts() -> None:
    """The benchmark's three logins: a user of the large partner, a sales admin, a cloud-team member."""
    from django.contrib.auth.models import Group

    from mybusiness import services
    from mybusiness.demo import totp_code
    from mybusiness.models import Partner, User
    from mybusiness.roles import CLOUD_TEAM_GROUP, SALES_ADMIN_GROUP, Role

    large = Partner.objects.get(pk=1)
    accounts = [
        (LARGE_PARTNER_USER, {"role": Role.PARTNER_ADMIN, "partner": large}, None),
        (SALES_ADMIN_USER, {"role": Role.STAFF, "is_staff": True}, SALES_ADMIN_GROUP),
        (CLOUD_USER, {"role": Role.STAFF, "is_staff": True}, CLOUD_TEAM_GROUP),
    ]
    for email, fields, group in accounts:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=PASSWORD, first_name="Bench", **fields)
        if group:
            user.groups.add(Group.objects.get(name=group))
            if not user.two_factor_enabled:
                # Staff need an authenticator application; the bench gives its code as their phone would.
                device = services.totp_enrolment_start(user=user)
                services.totp_enrolment_confirm(user=user, code=totp_code(device))
