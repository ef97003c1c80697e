"""The proposal pages: a new proposal by the village, the township or a department, and the
draft's edit. Every rule a proposal breaks is shown in one round and nothing is saved; a stale
form is told so; a submitted proposal is no longer edited here."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils.translation import gettext as _

from kaiyuan.audit.models import AuditEvent
from projects.codes import ProposerLevel
from projects.models import ConstructionListItem, Project
from projects.services import projects as project_services
from tests.projects.factories import new_project, people_for, proposal, walk
from tests.projects.pages import indicator_rows, proposal_post, rows, village_rows

pytestmark = pytest.mark.django_db
NEW = "/projects/new/"
Status = Project.Status


def _edit(project) -> str:
    return f"/projects/{project.pk}/edit/"


def _error_codes(response) -> set[str]:
    """The rule ids (the codes) of the errors on the page's form, beside and above the fields."""
    form = response.context["form"]
    return {
        error.code for errors in form.errors.as_data().values() for error in errors if error.code
    }


def _edit_post(project, **fields):
    """The edit form as posted for ``project``: its villages and targets as initial rows."""
    villages = [row.village for row in project.villages.all()]
    return proposal_post(
        villages,
        shares=[row.share_percent for row in project.villages.all()],
        village_initial=len(villages),
        indicator_initial=3,
        version=project.version,
        year=project.year,
        **fields,
    )


@pytest.fixture
def township_draft(village_a, village_a2):
    """A township A proposal across two villages, still being drafted."""
    people = people_for(village_a, proposer_level=ProposerLevel.TOWNSHIP)
    return new_project([village_a, village_a2], people, proposer_level=ProposerLevel.TOWNSHIP)


class TestNewProposal:
    @pytest.mark.sqlite
    def test_a_grid_worker_proposes_for_their_village(self, client, grid_worker_a, village_a):
        client.force_login(grid_worker_a)
        page = client.get(NEW)
        assert page.status_code == 200
        # The level is fixed for them, and their village filled in.
        form = page.context["form"]
        assert "proposer_level" not in form.fields
        assert form.level == ProposerLevel.VILLAGE
        assert form.villages.forms[0].initial["village"] == village_a.pk

        response = client.post(NEW, proposal_post([village_a]))

        project = Project.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/projects/{project.pk}/"
        assert project.status == Status.IDEA
        assert project.proposer_level == ProposerLevel.VILLAGE
        assert project.area == village_a
        assert project.created_by == grid_worker_a
        assert [(row.village, row.share_percent) for row in project.villages.all()] == [
            (village_a, Decimal("100.00"))
        ]
        assert sorted(i.group for i in project.indicators.all()) == sorted(
            row["group"] for row in indicator_rows()
        )
        assert project.mechanisms == ["吸纳就业", "资产入股收益"]
        assert set(project.four_haves.values()) == {True}
        assert AuditEvent.objects.filter(action="create", object_id=str(project.pk)).exists()

    def test_a_township_proposes_across_two_villages(
        self, client, clerk_a, village_a, village_a2, township_a
    ):
        client.force_login(clerk_a)
        data = proposal_post([village_a, village_a2], proposer_level=ProposerLevel.TOWNSHIP)
        response = client.post(NEW, data)

        project = Project.objects.get()
        assert response.status_code == 302
        assert project.proposer_level == ProposerLevel.TOWNSHIP
        assert project.area == township_a
        assert project.beneficiary_entity == "各村集体经济组织"
        assert {row.village: row.duties for row in project.villages.all()} == {
            village_a: "烟厂村负责土地协调",
            village_a2: "大白庙子村负责土地协调",
        }
        assert project.indicators.count() == 3

    def test_a_clerk_may_enter_a_villages_proposal(self, client, clerk_a, village_a):
        client.force_login(clerk_a)
        client.post(NEW, proposal_post([village_a], proposer_level=ProposerLevel.VILLAGE))
        project = Project.objects.get()
        assert (project.proposer_level, project.area) == (ProposerLevel.VILLAGE, village_a)

    def test_a_clerk_cannot_place_a_project_in_another_township(self, client, clerk_a, village_b):
        client.force_login(clerk_a)
        response = client.post(
            NEW, proposal_post([village_b], proposer_level=ProposerLevel.TOWNSHIP)
        )
        assert response.status_code == 200
        assert response.context["form"].villages.forms[0].errors["village"]
        assert not Project.objects.exists()

    def test_a_department_proposes_a_county_project(
        self, client, dept_medical, village_a, village_b, county
    ):
        client.force_login(dept_medical)
        assert "proposer_level" not in client.get(NEW).context["form"].fields
        data = proposal_post([village_a, village_b], sector="medical")
        response = client.post(NEW, data)
        project = Project.objects.get()
        assert response.status_code == 302
        assert project.proposer_level == ProposerLevel.COUNTY
        assert project.proposer_department == "medical"
        assert project.area == county

    def test_a_model_village_project_keeps_its_construction_items(self, client, clerk_a, village_a):
        positive = ConstructionListItem.objects.filter(kind="positive").first()
        client.force_login(clerk_a)
        data = proposal_post(
            [village_a],
            proposer_level=ProposerLevel.VILLAGE,
            category="乡村建设行动",
            subcategory="乡村建设典型村",
            construction_items=[positive.pk],
            four_haves=[],
        )
        client.post(NEW, data)
        project = Project.objects.get()
        assert list(project.construction_items.all()) == [positive]
        assert project.four_haves == {}  # not an industry project: no 四有 kept

    @pytest.mark.parametrize("who", ["leader", "auditor", "bureau"])
    def test_roles_that_do_not_propose_are_refused(self, client, request, who, village_a):
        client.force_login(request.getfixturevalue(who))
        assert client.get(NEW).status_code == 403
        assert client.post(NEW, proposal_post([village_a])).status_code == 403
        assert not Project.objects.exists()


class TestEveryErrorInOneRound:
    @pytest.mark.sqlite
    def test_a_bad_proposal_shows_every_error_and_saves_nothing(
        self, client, clerk_a, village_a, village_a2
    ):
        client.force_login(clerk_a)
        data = proposal_post(
            [village_a, village_a2],
            shares=[Decimal("60"), Decimal("30")],
            duties=["负责土地协调", ""],
            proposer_level=ProposerLevel.TOWNSHIP,
            central_funds="500000.00",
            entity_type="企业",
            entity_uscc="91110000600037341X",
        )
        response = client.post(NEW, data)

        assert response.status_code == 200
        assert not Project.objects.exists()
        assert {"PRJ-SHARES", "PRJ-FUNDING", "ID-USCC-1", "PRJ-5"} <= _error_codes(response)
        html = response.content.decode()
        assert "91110000600037341X" in html  # the credit code's own message
        assert "大白庙子村" in html  # the village whose duties are missing

    def test_the_forms_own_errors_come_with_the_rules(self, client, clerk_a, village_a, village_a2):
        client.force_login(clerk_a)
        data = proposal_post(
            [village_a, village_a2],
            shares=[Decimal("60"), Decimal("30")],
            proposer_level=ProposerLevel.TOWNSHIP,
            name="",
            entity_uscc="91110000600037341X",
            entity_type="企业",
        )
        response = client.post(NEW, data)
        form = response.context["form"]
        assert "name" in form.errors
        assert {"PRJ-SHARES", "ID-USCC-1"} <= _error_codes(response)
        assert not Project.objects.exists()

    def test_a_bad_row_is_marked_beside_the_rules(self, client, clerk_a, village_a):
        client.force_login(clerk_a)
        data = proposal_post([village_a], proposer_level=ProposerLevel.VILLAGE)
        data["indicators-0-target"] = "很多"
        data["central_funds"] = "1.00"
        response = client.post(NEW, data)
        assert response.context["form"].indicators.forms[0].errors["target"]
        assert "PRJ-FUNDING" in _error_codes(response)
        assert not Project.objects.exists()

    def test_an_indicator_of_another_group_is_refused(self, client, clerk_a, village_a):
        client.force_login(clerk_a)
        data = proposal_post([village_a], proposer_level=ProposerLevel.VILLAGE)
        data["indicators-0-kind"] = "服务对象满意度"  # not an output indicator
        response = client.post(NEW, data)
        assert "PRJ-4" in _error_codes(response)
        assert not Project.objects.exists()


class TestEditDraft:
    def test_the_proposer_changes_the_draft(self, client, township_draft, village_a):
        people = people_for(village_a, proposer_level=ProposerLevel.TOWNSHIP)
        client.force_login(people.proposer)
        page = client.get(_edit(township_draft))
        assert page.status_code == 200
        assert page.context["form"]["version"].value() == township_draft.version

        data = _edit_post(township_draft, name="有机稻米育秧基地扩建项目")
        # One more target: a fourth row.
        data.update(
            rows(
                "indicators",
                [
                    *indicator_rows(),
                    {
                        "group": "产出指标",
                        "kind": "时效指标",
                        "name": "按期完工率",
                        "unit": "%",
                        "direction": "≥",
                        "target": "100",
                    },
                ],
                initial=3,
            )
        )
        response = client.post(_edit(township_draft), data)

        assert response.status_code == 302
        project = Project.objects.get(pk=township_draft.pk)
        assert project.name == "有机稻米育秧基地扩建项目"
        assert project.version == township_draft.version + 1
        assert project.indicators.count() == 4

    def test_a_removed_village_row_leaves_the_project(
        self, client, township_draft, village_a, village_a2
    ):
        people = people_for(village_a, proposer_level=ProposerLevel.TOWNSHIP)
        client.force_login(people.proposer)
        data = _edit_post(township_draft)
        data.update(
            rows(
                "villages",
                [
                    {**village_rows([village_a])[0], "share_percent": "100"},
                    {**village_rows([village_a2])[0], "DELETE": "on"},
                ],
                initial=2,
            )
        )
        data["villages-0-asset_share_percent"] = "100"
        response = client.post(_edit(township_draft), data)
        assert response.status_code == 302
        assert [row.village for row in township_draft.villages.all()] == [village_a]

    @pytest.mark.sqlite
    def test_a_stale_form_gets_the_conflict_message_and_changes_nothing(
        self, client, township_draft, village_a, reviewer_a
    ):
        people = people_for(village_a, proposer_level=ProposerLevel.TOWNSHIP)
        opened = _edit_post(township_draft, name="第一次打开时的名称")
        # Someone else saves the draft in the meantime.
        project_services.project_update(
            project=township_draft,
            proposal=proposal(
                [row.village for row in township_draft.villages.all()],
                name="别人先保存的名称",
            ),
            expected_version=township_draft.version,
            actor=reviewer_a,
        )
        client.force_login(people.proposer)
        response = client.post(_edit(township_draft), opened)

        assert response.status_code == 200
        message = _(
            "The %(what)s has changed since you opened it (someone else has just acted "
            "on it). Reload the page to see where it stands."
        ) % {"what": _("project")}
        assert message in response.context["form"].non_field_errors()
        assert Project.objects.get(pk=township_draft.pk).name == "别人先保存的名称"

    def test_a_submitted_proposal_is_not_edited_here(
        self, client, township_draft, village_a, clock
    ):
        people = people_for(village_a, proposer_level=ProposerLevel.TOWNSHIP)
        project = walk(township_draft, Status.PROPOSED, people, clock)
        client.force_login(people.proposer)

        page = client.get(_edit(project), follow=True)
        assert page.redirect_chain[0][0] == f"/projects/{project.pk}/"
        refusal = _("The proposal is at the step “%(state)s”: it is no longer edited here.") % {
            "state": project.get_status_display()
        }
        assert refusal in page.content.decode()
        response = client.post(_edit(project), _edit_post(project, name="提交后的修改"))
        assert response.status_code == 302
        after = Project.objects.get(pk=project.pk)
        assert (after.name, after.version) == (project.name, project.version)

    def test_another_townships_clerk_gets_not_found(self, client, township_draft, clerk_b):
        client.force_login(clerk_b)
        assert client.get(_edit(township_draft)).status_code == 404
        assert client.post(_edit(township_draft), _edit_post(township_draft)).status_code == 404

    @pytest.mark.parametrize("who", ["leader", "auditor"])
    def test_read_only_roles_are_refused(self, client, request, who, township_draft):
        client.force_login(request.getfixturevalue(who))
        assert client.get(_edit(township_draft)).status_code == 403
        response = client.post(_edit(township_draft), _edit_post(township_draft, name="改"))
        assert response.status_code == 403
        assert Project.objects.get(pk=township_draft.pk).name != "改"

    def test_a_village_of_a_township_project_sees_it_but_does_not_edit_it(
        self, client, township_draft, grid_worker_a
    ):
        client.force_login(grid_worker_a)
        assert client.get(f"/projects/{township_draft.pk}/").status_code == 200
        assert client.get(_edit(township_draft)).status_code == 403
