"""The programme list's organisers go through the shared cache in a topic of their own:
read once between changes, a new programme's organiser offered at the next read, a renamed
company shown renamed, and a registration (which moves its session's sequence, not its
times) leaves the cache alone; programmes leave the placement dashboards' entries alone. On
the store of one process and on Redis."""

from __future__ import annotations

from foundry.db import utcnow
from foundry.programmes import registration as registrations
from foundry.programmes.browse import Filters
from foundry.programmes.organisers import TOPIC, organiser_choices
from foundry.reports import cache
from tests import factories as f
from tests.programmes import factories as pf
from tests.statements import recorded_statements


def _read(db):
    with recorded_statements() as statements:
        choices = organiser_choices("en", Filters(), utcnow())
    db.session.commit()  # as a request ends
    return [name for _value, name in choices], len(statements)


def _generation(store, topic=TOPIC):
    return store.get_many([cache.TOPICS[topic].generation_key])[0]


def test_organisers_are_read_once_and_a_new_one_is_offered_next(world, db, store):
    pf.SessionFactory(programme=pf.ProgrammeFactory(organiser_company=world.company_a))
    db.session.commit()
    assert _read(db) == (["Alpha Robotics"], 2)
    assert _read(db) == (["Alpha Robotics"], 0)
    pf.SessionFactory(programme=pf.ProgrammeFactory(organiser_company=world.company_b))
    db.session.commit()
    assert _read(db) == (["Alpha Robotics", "Beta Fintech"], 2)


def test_a_registration_leaves_the_cache_alone(world, db, store):
    session = pf.SessionFactory(programme=pf.ProgrammeFactory(organiser_company=world.company_a))
    student = f.student(world.fac_a1)
    db.session.commit()
    assert _read(db)[1] == 2
    before = _generation(store)
    registrations.register(student, f.profile_of(student), session)
    db.session.commit()
    assert session.last_sequence == 1
    assert _generation(store) == before
    assert _read(db)[1] == 0


def test_a_renamed_organiser_is_shown_renamed(world, db, store):
    pf.SessionFactory(programme=pf.ProgrammeFactory(organiser_company=world.company_a))
    db.session.commit()
    assert _read(db) == (["Alpha Robotics"], 2)
    world.company_a.name = "Alpha Robotics HK"
    db.session.commit()
    assert _read(db) == (["Alpha Robotics HK"], 2)


def test_a_new_programme_leaves_the_dashboards_cached(world, db, store):
    _read(db)
    store.increment(cache.GENERATION_KEY)
    dashboards, organisers = _generation(store, cache.DASHBOARD), _generation(store)
    pf.SessionFactory(programme=pf.ProgrammeFactory(organiser_company=world.company_a))
    db.session.commit()
    assert _generation(store, cache.DASHBOARD) == dashboards
    assert _generation(store) != organisers
