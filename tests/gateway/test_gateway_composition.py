"""The gateway is composed of route and page mixins; a name defined in two of them would
silently hide one (the first in the class's order wins), taking its route with it."""

from collections import defaultdict

from gateway.service import GatewayService


def test_no_two_mixins_of_the_gateway_define_the_same_name():
    owners = defaultdict(list)
    for mixin in GatewayService.__mro__[1:]:
        if mixin is object:
            continue
        for name in vars(mixin):
            if not name.startswith("__"):
                owners[name].append(mixin.__name__)

    shared = {name: classes for name, classes in owners.items() if len(classes) > 1}

    assert not shared, shared
