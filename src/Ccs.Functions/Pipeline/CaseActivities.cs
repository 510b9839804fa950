using System.Diagnostics;
using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;
using Ccs.Core.Cases;
using Ccs.Core.GradCam;
using Ccs.Core.Pipeline;
using Ccs.Core.Preprocessing;
using Ccs.Core.Reports;
using Ccs.Functions.Models;
using Ccs.Functions.Results;
using Ccs.Functions.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Ccs.Functions.Pipeline;

/// <summary>
/// The pipeline's steps. Each is safe to run again: it overwrites what an earlier attempt wrote. A case the user can
/// fix (<see cref="InvalidCaseException"/>) becomes a Failed row, never an exception, so it is not retried; storage
/// hiccups surface as <see cref="TransientStorageException"/>, which is.
/// </summary>
public sealed class CaseActivities(
    CaseStorageAccount account,
    ResultsTable table,
    ResultBlobs blobs,
    ModelSetProvider models,
    CaseLimits limits,
    TimeProvider time,
    ILogger<CaseActivities> log)
{
    [Function(ActivityNames.PreprocessArchive)]
    public Task<PreparedArchive> PreprocessArchive([ActivityTrigger] ArchiveJob job) =>
        TransientStorage.Guard(ActivityNames.PreprocessArchive, () => PreprocessAsync(job));

    [Function(ActivityNames.RunBackbone)]
    public Task<BackboneResult> RunBackbone([ActivityTrigger] BackboneJob job) =>
        TransientStorage.Guard(ActivityNames.RunBackbone, () => RunBackboneAsync(job));

    [Function(ActivityNames.FinalizeCase)]
    public Task<CaseCompleted> FinalizeCase([ActivityTrigger] FinalizeJob job) =>
        TransientStorage.Guard(ActivityNames.FinalizeCase, () => FinalizeAsync(job));

    [Function(ActivityNames.RecordCaseFailure)]
    public Task<bool> RecordCaseFailure([ActivityTrigger] FailureJob job) =>
        TransientStorage.Guard(ActivityNames.RecordCaseFailure, async () =>
        {
            if (job.CaseId is null)
            {
                log.LogWarning("Archive {ArchiveId} failed in the pipeline: {Error}", job.Archive.ArchiveId, job.Error);
                if (await table.WriteArchiveFailedAsync(job.Archive, job.Error))
                {
                    await RemoveEarlierVersionsAsync(job.Archive, []);
                }

                return true;
            }

            log.LogWarning("Case {CaseId} of archive {ArchiveId} failed in the pipeline: {Error}", job.CaseId,
                job.Archive.ArchiveId, job.Error);
            await table.WriteFailedAsync(job.Archive, job.CaseId, job.Error, replace: false);
            return true;
        });

    private async Task<PreparedArchive> PreprocessAsync(ArchiveJob job)
    {
        var manifest = await models.GetManifestAsync();
        var backbones = manifest.Backbones.Select(b => b.Id).ToList();
        var zip = await DownloadArchiveAsync(job);
        if (zip is null)
        {
            return PreparedArchive.Unreadable(ArchiveGone, backbones);
        }

        IReadOnlyList<PendingCase> pending;
        try
        {
            pending = CaseReader.OpenArchive(zip, FileName(job.BlobName), limits);
        }
        catch (InvalidCaseException e)
        {
            // The problem can quote file names or values from the archive, so it goes to the row, not the log.
            log.LogWarning("Archive {ArchiveId} rejected; the reason is in its archive row", job.ArchiveId);
            if (await table.WriteArchiveFailedAsync(job, e.Message))
            {
                await RemoveEarlierVersionsAsync(job, []);
            }

            return PreparedArchive.Unreadable(e.Message, backbones);
        }

        var prepared = new List<PreparedCaseRef>();
        var failures = new List<CaseFailure>();
        foreach (var item in pending)
        {
            var outcome = await PrepareCaseAsync(job, item, prepared.Select(p => p.CaseId));
            if (outcome is PreparedCaseRef good)
            {
                prepared.Add(good);
            }
            else
            {
                failures.Add((CaseFailure)outcome);
            }
        }

        var ids = prepared.Select(p => p.CaseId).Concat(failures.Select(f => f.CaseId)).Distinct().ToList();
        if (await table.WriteArchiveReadAsync(job, ids))
        {
            await RemoveEarlierVersionsAsync(job, ids);
        }

        log.LogInformation("Archive {ArchiveId} read: {Good} cases ready, {Bad} rejected",
            job.ArchiveId, prepared.Count, failures.Count);
        return new PreparedArchive(prepared, failures, backbones, null);
    }

    private const string ArchiveGone =
        "the archive was deleted or replaced before it was read; a replacement is processed on its own";

    /// <returns>The archive as the trigger saw it, or null if it has since been deleted or replaced.</returns>
    private async Task<MemoryStream?> DownloadArchiveAsync(ArchiveJob job)
    {
        var blob = account.Blobs.GetBlobContainerClient(job.Container).GetBlobClient(job.BlobName);
        try
        {
            var options = new BlobDownloadOptions
            {
                Conditions = new BlobRequestConditions { IfMatch = new ETag(job.ETag) },
            };
            var content = await blob.DownloadContentAsync(options);
            return new MemoryStream(content.Value.Content.ToArray(), writable: false);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            log.LogWarning("Archive {ArchiveId} changed before it was read (status {Status})", job.ArchiveId, e.Status);

            // A replacement has its own run, which may already own the archive row; that write is skipped then.
            if (await table.WriteArchiveFailedAsync(job, ArchiveGone))
            {
                await RemoveEarlierVersionsAsync(job, []);
            }

            return null;
        }
    }

    /// <summary>
    /// Deletes the rows and files that earlier versions of this blob left for cases this version does not carry, so
    /// the archive id answers only for what its current version holds. Called once this run's archive row lists its
    /// cases (or says why there are none), and only while this run owns that row; a retry finds less, or nothing.
    /// Cases this version carries need nothing: their rows were replaced as they were read.
    /// </summary>
    private async Task RemoveEarlierVersionsAsync(ArchiveJob job, IReadOnlyCollection<string> caseIds)
    {
        var stale = (await table.ListEarlierVersionsAsync(job))
            .Where(row => !caseIds.Contains(row.PartitionKey, StringComparer.Ordinal))
            .ToList();
        foreach (var row in stale)
        {
            // Files before the row: if this fails part-way, the retry still finds the row and so the folder.
            await blobs.DeleteFolderAsync(row.PartitionKey, job.ArchiveId);
            await table.DeleteCaseAsync(row);
        }

        if (stale.Count > 0)
        {
            log.LogInformation("Archive {ArchiveId}: removed {Count} cases that only earlier versions held",
                job.ArchiveId, stale.Count);
        }
    }

    /// <returns>A <see cref="PreparedCaseRef"/>, or a <see cref="CaseFailure"/> already in the table.</returns>
    private async Task<object> PrepareCaseAsync(ArchiveJob job, PendingCase item, IEnumerable<string> seen)
    {
        var watch = Stopwatch.StartNew();
        PreparedCase prepared;
        double decodeMs;
        try
        {
            var input = item.Load();
            decodeMs = watch.Elapsed.TotalMilliseconds;
            prepared = Preprocessor.Prepare(input);
        }
        catch (InvalidCaseException e)
        {
            var caseId = ResultKeys.Safe(item.Name);
            log.LogWarning("Case {CaseId} of archive {ArchiveId} rejected; the reason is in its results row", caseId,
                job.ArchiveId);
            await table.WriteFailedAsync(job, caseId, e.Message, replace: true);
            return new CaseFailure(caseId, e.Message);
        }

        var id = prepared.Case.CaseId;
        if (seen.Contains(id, StringComparer.Ordinal))
        {
            // The first case keeps the row; a second row under the same key would overwrite it.
            log.LogWarning("Case {CaseId} appears twice in archive {ArchiveId}; the second is skipped",
                id, job.ArchiveId);
            return new CaseFailure(id, $"case '{id}': {item.Name}: another case in the archive has the same case id");
        }

        var preprocessMs = watch.Elapsed.TotalMilliseconds - decodeMs;
        var tensor = await blobs.UploadAsync(ResultBlobs.TensorPath(id, job.ArchiveId), prepared.Tensor.ToBytes(),
            "application/octet-stream");
        var inputPng = await blobs.UploadAsync(ResultBlobs.PathOf(id, job.ArchiveId, ArtifactNames.Input),
            Overlay.RenderInputPng(prepared.Tensor), "image/png");
        await table.WriteRunningAsync(job, id);
        log.LogInformation("Case {CaseId} of archive {ArchiveId} preprocessed in {Ms} ms", id, job.ArchiveId,
            Math.Round(watch.Elapsed.TotalMilliseconds, 1));
        return new PreparedCaseRef(id, CaseSummary.From(prepared), tensor, inputPng, decodeMs, preprocessMs);
    }

    private async Task<BackboneResult> RunBackboneAsync(BackboneJob job)
    {
        var tensor = CaseTensor.FromBytes(await blobs.DownloadAsync(job.TensorBlob));
        var modelSet = await models.GetAsync();
        var prediction = modelSet.Backbone(job.BackboneId).Predict(tensor);
        var overlay = Overlay.RenderPng(tensor, GradCamMap.ToInputSize(prediction.Heat));
        var path = await blobs.UploadAsync(
            ResultBlobs.PathOf(job.CaseId, job.ArchiveId, ArtifactNames.GradCam(job.BackboneId)), overlay, "image/png");
        log.LogInformation("Case {CaseId} of archive {ArchiveId} backbone {Backbone}: {Folds} folds in {Ms} ms",
            job.CaseId, job.ArchiveId, job.BackboneId, prediction.Folds.Count, Math.Round(prediction.Milliseconds, 1));
        return new BackboneResult(prediction, path);
    }

    private async Task<CaseCompleted> FinalizeAsync(FinalizeJob job)
    {
        var watch = Stopwatch.StartNew();
        var caseId = job.Case.CaseId;
        var archiveId = job.Archive.ArchiveId;
        var modelSet = await models.GetAsync();
        var tensor = CaseTensor.FromBytes(await blobs.DownloadAsync(job.Case.TensorBlob));
        var predictions = job.Backbones.Select(b => b.Prediction).ToList();
        var outcome = CaseOutcome.Combine(caseId, job.Case.Summary.Demographics, predictions, modelSet.Demographics,
            modelSet.Demographics.Threshold);

        var ensembleHeat = CaseOutcome.EnsembleHeat(predictions.Select(p => GradCamMap.ToInputSize(p.Heat)));
        await blobs.UploadAsync(ResultBlobs.PathOf(caseId, archiveId, ArtifactNames.GradCam(ArtifactNames.Ensemble)),
            Overlay.RenderPng(tensor, ensembleHeat), "image/png");

        var report = CaseReport.Build(job.Case.Summary, modelSet.Manifest, outcome, Timings(job, watch),
            time.GetUtcNow());
        await blobs.UploadAsync(ResultBlobs.PathOf(caseId, archiveId, ArtifactNames.Report), report.ToJson(),
            "application/json");
        await blobs.UploadAsync(ResultBlobs.PathOf(caseId, archiveId, ArtifactNames.ReportPage),
            Encoding.UTF8.GetBytes(ReportPage.Render(report)), "text/html; charset=utf-8");

        await table.WriteCompletedAsync(job.Archive, outcome, modelSet.Manifest.Version);
        log.LogInformation("Case {CaseId} of archive {ArchiveId} completed in {Ms} ms after upload", caseId, archiveId,
            Math.Round((time.GetUtcNow() - job.Archive.QueuedAt).TotalMilliseconds));
        return new CaseCompleted(caseId, outcome.Ensemble, outcome.Positive);
    }

    /// <summary>Stage times for the report, named as the command-line pipeline names them.</summary>
    private static Dictionary<string, double> Timings(FinalizeJob job, Stopwatch finalize)
    {
        var timings = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [CasePredictor.Stages.Decode] = job.Case.DecodeMs,
            [CasePredictor.Stages.Preprocess] = job.Case.PreprocessMs,
        };
        foreach (var backbone in job.Backbones)
        {
            timings[backbone.Prediction.BackboneId] = backbone.Prediction.Milliseconds;
        }

        timings[CasePredictor.Stages.Report] = finalize.Elapsed.TotalMilliseconds;
        timings[CasePredictor.Stages.Total] = job.PipelineMs + finalize.Elapsed.TotalMilliseconds;
        return timings;
    }

    private static string FileName(string blobName) => blobName[(blobName.LastIndexOf('/') + 1)..];
}
