"""Factories that make valid objects in an area."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from kaiyuan.accounts.models import User
from kaiyuan.accounts.roles import Role
from kaiyuan.areas.models import Area, Grid

TEST_PASSWORD = "Kaiyuan-test-2024"


class VillageFactory(DjangoModelFactory[Area]):
    class Meta:
        model = Area

    parent = factory.LazyFunction(lambda: Area.objects.get(code="211282104"))
    code = factory.Sequence(lambda n: f"{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"测试{n}村")
    level = Area.Level.VILLAGE
    kind = Area.Kind.VILLAGE_COMMITTEE
    path = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        parent = kwargs["parent"]
        kwargs["code"] = f"{parent.code}{kwargs['code']}"
        kwargs["path"] = f"{parent.path}{kwargs['code']}/"
        return super()._create(model_class, *args, **kwargs)


class GridFactory(DjangoModelFactory[Grid]):
    class Meta:
        model = Grid

    area = factory.SubFactory(VillageFactory)
    name = factory.Sequence(lambda n: f"第{n}网格")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.BUREAU
    area = factory.LazyFunction(lambda: Area.objects.get(code="211282"))
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
