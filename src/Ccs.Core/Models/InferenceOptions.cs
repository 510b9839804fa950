namespace Ccs.Core.Models;

/// <summary>
/// Threading for ONNX Runtime sessions. <see cref="IntraOpThreads"/> is per session run; when several backbones run at
/// once on one machine, their product with the number of parallel runs should not exceed the cores.
/// </summary>
public sealed record InferenceOptions
{
    public int IntraOpThreads { get; init; } = Math.Max(1, Environment.ProcessorCount);
}
