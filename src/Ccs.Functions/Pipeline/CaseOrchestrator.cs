using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Ccs.Functions.Pipeline;

/// <summary>
/// One archive through the pipeline: preprocess every case, fan out one activity per backbone for each good case,
/// then combine and persist. Orchestrator code is replayed, so it only calls activities and reads
/// <see cref="TaskOrchestrationContext"/>; all I/O and clocks live in <see cref="CaseActivities"/>.
/// </summary>
public static class CaseOrchestrator
{
    [Function(ActivityNames.Orchestrator)]
    public static Task<ArchiveOutcome> Run([OrchestrationTrigger] TaskOrchestrationContext context) =>
        RunAsync(context, context.GetInput<ArchiveJob>()
            ?? throw new InvalidOperationException("the orchestration was started without its archive job"));

    public static async Task<ArchiveOutcome> RunAsync(TaskOrchestrationContext context, ArchiveJob job)
    {
        var log = context.CreateReplaySafeLogger(nameof(CaseOrchestrator));
        var started = context.CurrentUtcDateTime;
        context.SetCustomStatus(new PipelineStatus(PipelineStatus.Preprocessing, 0, 0, 0));

        PreparedArchive archive;
        try
        {
            archive = await context.CallActivityAsync<PreparedArchive>(ActivityNames.PreprocessArchive, job,
                Retries.Storage);
        }
        catch (TaskFailedException e)
        {
            return new ArchiveOutcome(job.ArchiveId, [], [], await RecordFailureAsync(context, job, null, e));
        }

        var progress = new PipelineProgress(archive.Cases.Count, archive.Backbones.Count);
        context.SetCustomStatus(progress.Snapshot(PipelineStatus.Backbones));
        var runs = await Task.WhenAll(
            archive.Cases.Select(c => RunCaseAsync(context, job, archive, c, progress, started)));

        var completed = runs.OfType<CaseCompleted>().ToList();
        var failed = archive.Failures.Concat(runs.OfType<CaseFailure>()).ToList();
        context.SetCustomStatus(progress.Snapshot(PipelineStatus.Done));
        log.LogInformation("Archive {ArchiveId} done: {Completed} cases completed, {Failed} failed",
            job.ArchiveId, completed.Count, failed.Count);
        return new ArchiveOutcome(job.ArchiveId, completed, failed, archive.Error);
    }

    /// <returns>A <see cref="CaseCompleted"/> or a <see cref="CaseFailure"/>: no case stops the others.</returns>
    private static async Task<object> RunCaseAsync(TaskOrchestrationContext context, ArchiveJob job,
        PreparedArchive archive, PreparedCaseRef prepared, PipelineProgress progress, DateTime started)
    {
        try
        {
            var backbones = await RunBackbonesAsync(context, job, archive.Backbones, prepared, progress);

            context.SetCustomStatus(progress.Finalizing());
            var pipelineMs = (context.CurrentUtcDateTime - started).TotalMilliseconds;
            return await context.CallActivityAsync<CaseCompleted>(ActivityNames.FinalizeCase,
                new FinalizeJob(job, prepared, backbones, pipelineMs), Retries.Storage);
        }
        catch (TaskFailedException e)
        {
            return new CaseFailure(prepared.CaseId, await RecordFailureAsync(context, job, prepared.CaseId, e));
        }
    }

    /// <summary>All backbones at once, the status updated as each one finishes; results keep manifest order.</summary>
    private static async Task<IReadOnlyList<BackboneResult>> RunBackbonesAsync(TaskOrchestrationContext context,
        ArchiveJob job, IReadOnlyList<string> backboneIds, PreparedCaseRef prepared, PipelineProgress progress)
    {
        var runs = backboneIds
            .Select(id => context.CallActivityAsync<BackboneResult>(ActivityNames.RunBackbone,
                new BackboneJob(prepared.CaseId, job.ArchiveId, id, prepared.TensorBlob), Retries.Storage))
            .ToList();
        var pending = runs.ToList();
        while (pending.Count > 0)
        {
            var finished = await Task.WhenAny(pending);
            pending.Remove(finished);
            await finished;
            context.SetCustomStatus(progress.BackboneDone());
        }

        return await Task.WhenAll(runs);
    }

    /// <param name="caseId">The case whose step gave up, or null when reading the archive did.</param>
    /// <returns>The reason, as recorded in the row.</returns>
    private static async Task<string> RecordFailureAsync(TaskOrchestrationContext context, ArchiveJob job,
        string? caseId, TaskFailedException e)
    {
        var error = Describe(e.FailureDetails);
        await context.CallActivityAsync<bool>(ActivityNames.RecordCaseFailure, new FailureJob(job, caseId, error),
            Retries.Storage);
        return error;
    }

    /// <summary>The innermost message: the host may wrap an activity's exception in its own.</summary>
    private static string Describe(TaskFailureDetails details)
    {
        var inner = details;
        while (inner.InnerFailure is not null)
        {
            inner = inner.InnerFailure;
        }

        return inner.ErrorMessage;
    }
}
