using System.Diagnostics;
using Ccs.Core.GradCam;
using Ccs.Core.Preprocessing;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Ccs.Core.Models;

/// <summary>What one fold model says of one case.</summary>
public sealed record FoldOutput(int Fold, double Logit, double Probability);

/// <summary>
/// One fold's ONNX session, created once and reused. Construction checks the model contract, so a wrong file fails
/// at start-up with its name rather than on the first case.
/// </summary>
public sealed class FoldSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly long[] _inputShape = [1, CaseTensor.Height, CaseTensor.Width, CaseTensor.Channels];

    public FoldSession(FoldSpec spec, string path, ModelManifest manifest, FeatureShape features,
        SessionOptions options)
    {
        Fold = spec.Fold;
        File = spec.File;
        try
        {
            _session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException(spec.File, $"ONNX Runtime cannot load it ({e.Message})");
        }

        try
        {
            ModelContract.Check(_session, spec.File, manifest, features);
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        _inputNames = [manifest.Input.Name];
        _outputNames = [manifest.Outputs.Logit, manifest.Outputs.Features, manifest.Outputs.CamWeights];
    }

    public int Fold { get; }

    public string File { get; }

    /// <summary>
    /// Runs the fold on one case; returns its logit, its Grad-CAM at feature resolution and the time spent in
    /// ONNX Runtime itself.
    /// </summary>
    public (FoldOutput Output, HeatMap Heat, TimeSpan SessionTime) Run(CaseTensor tensor)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(tensor.Values, _inputShape);
        var started = Stopwatch.GetTimestamp();
        using var outputs = _session.Run(_runOptions, _inputNames, [input], _outputNames);
        var sessionTime = Stopwatch.GetElapsedTime(started);
        var logit = outputs[0].GetTensorDataAsSpan<float>()[0];
        var shape = outputs[1].GetTensorTypeAndShape().Shape;
        var heat = GradCamMap.FromFeatures(outputs[1].GetTensorDataAsSpan<float>(),
            outputs[2].GetTensorDataAsSpan<float>(), (int)shape[1], (int)shape[2]);
        return (new FoldOutput(Fold, logit, Logistic.Sigmoid(logit)), heat, sessionTime);
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}

internal static class ModelContract
{
    public static void Check(InferenceSession session, string file, ModelManifest manifest, FeatureShape features)
    {
        var input = manifest.Input;
        Expect(session.InputMetadata, input.Name, [-1, input.Height, input.Width, input.Channels], file, "input");
        Expect(session.OutputMetadata, manifest.Outputs.Logit, [-1, 1], file, "output");
        Expect(session.OutputMetadata, manifest.Outputs.Features,
            [-1, features.Height, features.Width, features.Channels], file, "output");
        Expect(session.OutputMetadata, manifest.Outputs.CamWeights, [-1, features.Channels], file, "output");
    }

    /// <param name="shape">Expected dimensions; -1 marks the batch dimension, which may be dynamic or 1.</param>
    private static void Expect(IReadOnlyDictionary<string, NodeMetadata> nodes, string name, int[] shape, string file,
        string role)
    {
        if (!nodes.TryGetValue(name, out var node))
        {
            throw new ModelLoadException(file,
                $"has no {role} named '{name}' (it has: {string.Join(", ", nodes.Keys)})");
        }

        if (!node.IsTensor || node.ElementDataType != TensorElementType.Float)
        {
            throw new ModelLoadException(file, $"{role} '{name}' must be a float32 tensor, not {node.ElementDataType}");
        }

        var dims = node.Dimensions;
        var fits = dims.Length == shape.Length && dims.Zip(shape).All(p =>
            p.Second == -1 ? p.First is -1 or 1 : p.First == p.Second || p.First == -1);
        if (!fits)
        {
            throw new ModelLoadException(file,
                $"{role} '{name}' has shape [{Describe(dims)}], the contract needs [{Describe(shape)}] (N = batch)");
        }
    }

    private static string Describe(int[] dims) => string.Join(", ", dims.Select(d => d < 0 ? "N" : d.ToString()));
}
