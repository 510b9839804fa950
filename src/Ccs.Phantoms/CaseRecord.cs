using System.Text.Json;

namespace Ccs.Phantoms;

/// <summary>The case.json written beside a phantom's slices: the ground truth an evaluation scores against.</summary>
public sealed record CaseRecord(
    string CaseId,
    int Age,
    string Sex,
    int Label,
    int Grade,
    IReadOnlyList<string> Levels,
    string Source,
    int Seed)
{
    public static JsonSerializerOptions Json { get; } = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static CaseRecord Parse(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<CaseRecord>(json, Json) ?? throw new JsonException("case.json is null");
}
