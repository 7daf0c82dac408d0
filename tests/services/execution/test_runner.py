"""One task through the pipeline: inputs checked and decrypted, outputs encrypted and uploaded."""

from __future__ import annotations

import asyncio
from pathlib import Path

from teahouse.crypto.files import decrypt_file
from teahouse.model import Executor, ExecutorType, StagedInput, StagedOutput, TaskFailure, TaskOutputs
from teahouse.services.execution._runner import TaskRunner
from teahouse.services.execution._workdir import prepare_root

from .fakes import KEY, UpperExecutor, encrypted_input, staged_task


def output_to(directory: Path, name: str) -> StagedOutput:
    return StagedOutput((directory / name).as_uri(), KEY)


async def test_inputs_reach_the_function_in_clear_and_outputs_leave_encrypted(
    runner: TaskRunner, upper: UpperExecutor, tmp_path: Path
) -> None:
    staged = staged_task(
        {"a": encrypted_input(tmp_path, "a", b"alpha\n"), "b": encrypted_input(tmp_path, "b", b"beta\n")},
        {"a_out": output_to(tmp_path, "a_out.enc"), "b_out": output_to(tmp_path, "b_out.enc")},
    )
    result = await runner.run(staged)
    assert isinstance(result, TaskOutputs)
    assert result.return_value == b"ran builtin-upper" and result.log == ()
    invocation = upper.runs[0]
    assert invocation.arguments == {"message": "hi"} and invocation.task_id == str(staged.task_id)
    for name, expected in (("a", b"ALPHA\n"), ("b", b"BETA\n")):
        uploaded = tmp_path / f"{name}_out.enc"
        cmac = decrypt_file(KEY, uploaded, tmp_path / f"{name}.check")
        assert (tmp_path / f"{name}.check").read_bytes() == expected
        assert result.tags_map[f"{name}_out"] == cmac


async def test_the_task_directory_is_private_and_removed_afterwards(
    runner: TaskRunner, upper: UpperExecutor, work_root: Path, tmp_path: Path
) -> None:
    await runner.run(staged_task({"a": encrypted_input(tmp_path, "a", b"x")}))
    assert upper.seen_modes == [0o700]
    assert list(work_root.iterdir()) == []


async def test_save_log_is_the_string_true(runner: TaskRunner, upper: UpperExecutor) -> None:
    result = await runner.run(staged_task(arguments={"save_log": "true"}))
    assert isinstance(result, TaskOutputs) and result.log == ("[INFO echo] hello",)
    await runner.run(staged_task(arguments={"save_log": True}))
    assert [run.save_log for run in upper.runs] == [True, False]


async def test_a_cmac_mismatch_fails_before_the_function_runs(
    runner: TaskRunner, upper: UpperExecutor, tmp_path: Path, work_root: Path
) -> None:
    good = encrypted_input(tmp_path, "a", b"alpha")
    bad = StagedInput(good.url, bytes(16), good.crypto_info)
    result = await runner.run(staged_task({"a": bad}))
    assert isinstance(result, TaskFailure) and "cmac" in result.reason.lower()
    assert upper.runs == [] and list(work_root.iterdir()) == []


async def test_a_missing_input_names_its_url(runner: TaskRunner, tmp_path: Path) -> None:
    missing = StagedInput((tmp_path / "nope.enc").as_uri(), bytes(16), KEY)
    result = await runner.run(staged_task({"a": missing}))
    assert isinstance(result, TaskFailure) and "nope.enc" in result.reason


async def test_a_function_failure_is_the_reason_and_nothing_is_uploaded(
    runner: TaskRunner, upper: UpperExecutor, tmp_path: Path
) -> None:
    upper.fail_with = "Cannot deserialize arguments"
    staged = staged_task(
        {"a": encrypted_input(tmp_path, "a", b"x")}, {"a_out": output_to(tmp_path, "out.enc")}
    )
    assert await runner.run(staged) == TaskFailure("Cannot deserialize arguments")
    assert not (tmp_path / "out.enc").exists()


async def test_an_output_the_function_did_not_write_fails_the_task(
    runner: TaskRunner, upper: UpperExecutor, tmp_path: Path
) -> None:
    upper.skip_outputs = True
    staged = staged_task({}, {"result": output_to(tmp_path, "out.enc")})
    result = await runner.run(staged)
    assert result == TaskFailure("the function did not write its output 'result'")


async def test_an_unavailable_pair_fails_with_teaclaves_reason(runner: TaskRunner) -> None:
    staged = staged_task(executor_type=ExecutorType.PYTHON, executor=Executor.BUILTIN)
    assert await runner.run(staged) == TaskFailure("function not available: (Python, Builtin)")


async def test_cancelling_a_run_stops_the_function_and_removes_its_files(
    runner: TaskRunner, upper: UpperExecutor, work_root: Path, tmp_path: Path
) -> None:
    upper.block = asyncio.Event()
    run = asyncio.create_task(runner.run(staged_task({"a": encrypted_input(tmp_path, "a", b"x")})))
    while not upper.runs:
        await asyncio.sleep(0.01)
    assert len(list(work_root.iterdir())) == 1
    run.cancel()
    await asyncio.gather(run, return_exceptions=True)
    assert upper.cancelled == 1 and list(work_root.iterdir()) == []


def test_leftovers_of_a_killed_node_are_removed_at_start(tmp_path: Path) -> None:
    root = tmp_path / "work"
    (root / "task-1-abc" / "inputs").mkdir(parents=True)
    (root / "task-1-abc" / "inputs" / "0").write_bytes(b"plaintext")
    (root / "stray").write_bytes(b"x")
    prepare_root(root)
    assert list(root.iterdir()) == [] and (root.stat().st_mode & 0o777) == 0o700


async def test_a_file_url_outside_the_shared_folders_fails_the_task(
    runner: TaskRunner, upper: UpperExecutor
) -> None:
    secret = StagedInput("file:///etc/hostname", bytes(16), KEY)
    result = await runner.run(staged_task({"a": secret}))
    assert isinstance(result, TaskFailure) and "file:///etc/hostname" in result.reason
    assert upper.runs == []
