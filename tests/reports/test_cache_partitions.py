"""A partitioned topic of the shared cache (foundry/reports/cache.py, watch(partition_by=)):
a row's write moves its part's generation and no other, nor the topic's; a write that
moves a row to another part renews both; a rolled-back write moves nothing."""

from __future__ import annotations

from foundry.applications.board_cache import TOPIC
from foundry.applications.models import ApplicationStatus
from foundry.applications.services import move
from foundry.reports import cache
from tests import factories as f


def _generations(store, *keys):
    return store.get_many(list(keys))


def _two_postings_one_application(db, world, store):
    """An application to the first of two postings; the topic's and both parts' keys, and
    their generations now."""
    topic = cache.TOPICS[TOPIC]
    one, other = (
        f.PostingFactory(company=world.company_a),
        f.PostingFactory(company=world.company_a),
    )
    application = f.ApplicationFactory(posting=one, profile=f.profile_of(world.student_a1))
    db.session.commit()
    keys = (topic.generation_key, topic.part_key(one.id), topic.part_key(other.id))
    return application, other, keys, _generations(store, *keys)


def test_a_write_moves_its_part_only(db, world, store):
    application, _other, keys, before = _two_postings_one_application(db, world, store)
    move(world.recruiter_a, application, ApplicationStatus.SHORTLISTED)
    db.session.commit()
    whole, mine, theirs = _generations(store, *keys)
    assert (whole, theirs) == (before[0], before[2])
    assert mine != before[1]


def test_a_row_moved_to_another_part_renews_both(db, world, store):
    application, other, keys, before = _two_postings_one_application(db, world, store)
    application.posting_id = other.id  # the part it leaves was not loaded: the whole topic
    db.session.commit()
    whole, left, joined = _generations(store, *keys)
    assert whole != before[0] or (left != before[1] and joined != before[2])


def test_a_rolled_back_write_moves_nothing(db, world, store):
    topic = cache.TOPICS[TOPIC]
    posting = f.PostingFactory(company=world.company_a)
    application = f.ApplicationFactory(posting=posting, profile=f.profile_of(world.student_a1))
    db.session.commit()
    before = _generations(store, topic.generation_key, topic.part_key(posting.id))
    application.status = ApplicationStatus.UNDER_REVIEW
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert _generations(store, topic.generation_key, topic.part_key(posting.id)) == before
