namespace Ccs.Functions.Pipeline;

/// <summary>The orchestration's custom status: the stage and how many backbone runs have finished.</summary>
public sealed record PipelineStatus(string Stage, int Cases, int BackbonesDone, int BackbonesTotal)
{
    public const string Preprocessing = "preprocessing";
    public const string Backbones = "backbones";
    public const string Finalizing = "finalizing";
    public const string Done = "done";
}

/// <summary>Counts progress across the cases of an archive; only touched from the orchestrator's own thread.</summary>
internal sealed class PipelineProgress(int cases, int backbonesPerCase)
{
    private int _backbonesDone;
    private int _finalizing;

    public PipelineStatus BackboneDone()
    {
        _backbonesDone++;
        return Snapshot();
    }

    public PipelineStatus Finalizing()
    {
        _finalizing++;
        return Snapshot();
    }

    public PipelineStatus Snapshot(string? stage = null) => new(
        stage ?? (_finalizing == cases ? PipelineStatus.Finalizing : PipelineStatus.Backbones),
        cases, _backbonesDone, cases * backbonesPerCase);
}
