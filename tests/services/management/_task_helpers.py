"""A two-party task (alice: creator and input owner; bob: output owner) put in any state."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from teahouse.kv import MemoryKeyValueStore
from teahouse.model import ExternalID, FunctionArgument, FunctionInput, FunctionOutput, TaskState, TaskStatus
from teahouse.services.management import Caller, ManagementService
from teahouse.services.management import messages as m

from .conftest import Files, data_owner

ALICE = data_owner("alice")
BOB = data_owner("bob")
FOWNER = Caller("fowner", "FunctionOwner")


@dataclass
class TwoParty:
    svc: ManagementService
    kv: MemoryKeyValueStore
    function_id: str
    task_id: str
    alice_in: str
    bob_out: str

    @property
    def key(self) -> bytes:
        return ExternalID.parse(self.task_id).key

    async def record(self) -> TaskState:
        return TaskState.from_bytes(await self.kv.get(self.key) or b"")

    async def force(self, **changes: object) -> None:
        """Rewrite the stored record, as another process (the scheduler) might."""
        await self.kv.put(self.key, dataclasses.replace(await self.record(), **changes).to_bytes())  # type: ignore[arg-type]

    async def assign_alice(self) -> None:
        await self.svc.assign_data(ALICE, m.AssignDataRequest(self.task_id, [m.DataMap("in", self.alice_in)]))

    async def assign_bob(self) -> None:
        await self.svc.assign_data(
            BOB, m.AssignDataRequest(self.task_id, [], [m.DataMap("out", self.bob_out)])
        )

    @property
    def request(self) -> m.TaskIdRequest:
        return m.TaskIdRequest(self.task_id)

    async def status(self) -> TaskStatus:
        return (await self.record()).status


async def two_party(
    svc: ManagementService, kv: MemoryKeyValueStore, *, quota: int = -1, public: bool = True
) -> TwoParty:
    files = Files(svc)
    fid = (
        await svc.register_function(
            FOWNER,
            m.RegisterFunctionRequest(
                "f",
                public=public,
                arguments=[FunctionArgument("x")],
                inputs=[FunctionInput("in")],
                outputs=[FunctionOutput("out")],
                usage_quota=quota,
                user_allowlist=["alice", "bob"],
            ),
        )
    ).function_id
    task_id = (
        await svc.create_task(
            ALICE,
            m.CreateTaskRequest(
                fid,
                json.dumps({"x": 1}),
                "builtin",
                [m.OwnerList("in", ["alice"])],
                [m.OwnerList("out", ["bob"])],
            ),
        )
    ).task_id
    return TwoParty(svc, kv, fid, task_id, await files.input(ALICE), await files.output(BOB))


async def ready(t: TwoParty) -> None:
    """Assign everything and approve by both: Approved."""
    await t.assign_alice()
    await t.assign_bob()
    await t.svc.approve_task(ALICE, t.request)
    await t.svc.approve_task(BOB, t.request)
