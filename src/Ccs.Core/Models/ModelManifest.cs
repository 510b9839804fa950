using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ccs.Core.Models;

/// <summary>
/// <c>models/manifest.json</c>: which backbones and fold files make up a model set, their hashes and provenance, and
/// the demographics logistic regressions. File paths are relative to the manifest's folder. <see cref="Precision"/>
/// is <c>fp32</c> (also when absent) or <c>int8</c> for a set written by <c>models/quantize/quantize_int8.py</c>.
/// </summary>
public sealed record ModelManifest(
    int SchemaVersion,
    string Name,
    string Version,
    string Provenance,
    InputSpec Input,
    OutputNames Outputs,
    IReadOnlyList<BackboneSpec> Backbones,
    DemographicsSpec Demographics,
    string? Precision = null)
{
    public const string FileName = "manifest.json";
    public const int SupportedSchema = 1;
    public const string Fp32 = "fp32";
    public const string Int8 = "int8";

    public bool IsInt8 => Precision == Int8;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

public sealed record InputSpec(string Name, int Height, int Width, int Channels, string Layout, float[] Range);

public sealed record OutputNames(string Logit, string Features, string CamWeights);

public sealed record FeatureShape(int Height, int Width, int Channels);

public sealed record FoldSpec(int Fold, string File, string Sha256);

public sealed record BackboneSpec(
    string Id,
    string DisplayName,
    string Architecture,
    string Version,
    FeatureShape Features,
    IReadOnlyList<FoldSpec> Folds);

public sealed record LogisticSpec(string Name, double Intercept, IReadOnlyDictionary<string, double> Coefficients);

public sealed record DemographicsSpec(
    double Threshold,
    IReadOnlyDictionary<string, int> SexEncoding,
    IReadOnlyList<LogisticSpec> Models);
