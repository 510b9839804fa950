using System.Security.Cryptography;
using System.Text.Json;
using Ccs.Core.Adjustment;
using Microsoft.ML.OnnxRuntime;

namespace Ccs.Core.Models;

/// <summary>
/// The backbones, their fold sessions and the demographics model, loaded once from a manifest folder. Every file is
/// checked (present, SHA-256, inputs and outputs) before the set is handed out.
/// </summary>
public sealed class ModelSet : IDisposable
{
    private ModelSet(ModelManifest manifest, string folder, IReadOnlyList<BackboneModel> backbones,
        DemographicsModel demographics, TimeSpan loadTime)
    {
        Manifest = manifest;
        Folder = folder;
        Backbones = backbones;
        Demographics = demographics;
        LoadTime = loadTime;
    }

    public ModelManifest Manifest { get; }

    public string Folder { get; }

    public IReadOnlyList<BackboneModel> Backbones { get; }

    public DemographicsModel Demographics { get; }

    /// <summary>Time to verify the files and create every session: the cold start a worker pays once.</summary>
    public TimeSpan LoadTime { get; }

    public BackboneModel Backbone(string id) =>
        Backbones.FirstOrDefault(b => b.Id == id)
        ?? throw new ArgumentException($"model set {Manifest.Version} has no backbone '{id}'");

    public static ModelManifest ReadManifest(string folder)
    {
        var path = Path.Combine(folder, ModelManifest.FileName);
        if (!File.Exists(path))
        {
            throw new ModelLoadException(path, "model manifest not found");
        }

        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), ModelManifest.Json);
        }
        catch (JsonException e)
        {
            throw new ModelLoadException(path, $"is not a valid manifest ({e.Message})");
        }

        if (manifest is null || manifest.SchemaVersion != ModelManifest.SupportedSchema)
        {
            throw new ModelLoadException(path,
                $"schemaVersion {manifest?.SchemaVersion} is not supported; "
                + $"this build reads {ModelManifest.SupportedSchema}");
        }

        if (manifest.Backbones is not { Count: > 0 } || manifest.Input is null || manifest.Outputs is null)
        {
            throw new ModelLoadException(path, "must name the input, the outputs and at least one backbone");
        }

        if (manifest.Precision is not (null or ModelManifest.Fp32 or ModelManifest.Int8))
        {
            throw new ModelLoadException(path,
                $"precision '{manifest.Precision}' is not known; it is {ModelManifest.Fp32} or {ModelManifest.Int8}");
        }

        CheckBackbones(path, folder, manifest.Backbones);
        return manifest;
    }

    /// <summary>
    /// Ids and fold numbers are unique, and every fold file lies inside the manifest's folder, as the model download
    /// in the Functions app also insists: a manifest cannot point the product at a file elsewhere on the machine.
    /// </summary>
    private static void CheckBackbones(string path, string folder, IReadOnlyList<BackboneSpec> backbones)
    {
        var root = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        if (backbones.GroupBy(b => b.Id).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            throw new ModelLoadException(path, $"backbone '{repeated.Key}' is listed more than once");
        }

        foreach (var backbone in backbones)
        {
            if (backbone.Folds is not { Count: > 0 })
            {
                throw new ModelLoadException(path, $"backbone '{backbone.Id}' lists no fold");
            }

            if (backbone.Folds.GroupBy(f => f.Fold).FirstOrDefault(g => g.Count() > 1) is { } fold)
            {
                throw new ModelLoadException(path, $"backbone '{backbone.Id}' lists fold {fold.Key} more than once");
            }

            foreach (var file in backbone.Folds.Select(f => f.File))
            {
                if (string.IsNullOrEmpty(file) || Path.IsPathRooted(file)
                    || !Path.GetFullPath(Path.Combine(folder, file)).StartsWith(root, StringComparison.Ordinal))
                {
                    throw new ModelLoadException(path,
                        $"fold file '{file}' of '{backbone.Id}' is not a path inside the manifest's folder");
                }
            }
        }
    }

    public static ModelSet Load(string folder, InferenceOptions options)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var manifest = ReadManifest(folder);
        var demographics = DemographicsModel.FromManifest(manifest, Path.Combine(folder, ModelManifest.FileName));
        var folds = manifest.Backbones.SelectMany(b => b.Folds.Select(f => (Backbone: b, Fold: f))).ToList();
        VerifyFiles(folder, folds.Select(f => f.Fold).ToList());

        using var sessionOptions = CreateSessionOptions(options);
        var sessions = new FoldSession[folds.Count];
        try
        {
            Parallel.For(0, folds.Count, i =>
            {
                sessions[i] = new FoldSession(folds[i].Fold, Path.Combine(folder, folds[i].Fold.File), manifest,
                    folds[i].Backbone.Features, sessionOptions);
                NativeHeap.Release();
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is ModelLoadException))
        {
            DisposeAll(sessions);
            throw e.InnerExceptions[0];
        }

        var backbones = manifest.Backbones
            .Select(b => new BackboneModel(b, sessions.Where((_, i) => folds[i].Backbone == b).ToList()))
            .ToList();
        return new ModelSet(manifest, folder, backbones, demographics, clock.Elapsed);
    }

    /// <remarks>
    /// Every session has its own intra-op pool, and by default a pool's workers keep spinning for a while after each
    /// run. With twelve sessions run one after another on a small machine, the spinning workers of the sessions just
    /// run take the cores from the next session and from Grad-CAM and PNG encoding, so spinning is off.
    /// </remarks>
    private static SessionOptions CreateSessionOptions(InferenceOptions options)
    {
        var session = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        session.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return session;
    }

    /// <summary>
    /// Hashes the files in parallel (SHA-256 of a full-size set takes about a second on one core) and reports the
    /// first bad one in manifest order, as checking them one by one would.
    /// </summary>
    private static void VerifyFiles(string folder, IReadOnlyList<FoldSpec> folds)
    {
        var failures = new ModelLoadException?[folds.Count];
        Parallel.For(0, folds.Count, i =>
        {
            try
            {
                VerifyFile(folder, folds[i]);
            }
            catch (ModelLoadException e)
            {
                failures[i] = e;
            }
        });
        if (failures.FirstOrDefault(f => f is not null) is { } failure)
        {
            throw failure;
        }
    }

    private static void VerifyFile(string folder, FoldSpec fold)
    {
        var path = Path.Combine(folder, fold.File);
        if (!File.Exists(path))
        {
            throw new ModelLoadException(fold.File, $"fold {fold.Fold} file is missing (looked in {folder})");
        }

        using var stream = File.OpenRead(path);
        var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (!string.Equals(actual, fold.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelLoadException(fold.File,
                $"SHA-256 is {actual} but the manifest says {fold.Sha256}; the file is not the one the manifest lists");
        }
    }

    private static void DisposeAll(IEnumerable<FoldSession?> sessions)
    {
        foreach (var session in sessions)
        {
            session?.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var backbone in Backbones)
        {
            backbone.Dispose();
        }
    }
}
