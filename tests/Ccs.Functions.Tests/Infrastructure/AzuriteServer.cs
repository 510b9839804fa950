using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Ccs.Functions.Tests.Infrastructure;

/// <summary>
/// A real Azurite (from <c>tools/azurite</c>) as a child process on 127.0.0.1, on free ports. In memory by default;
/// with a data folder it keeps its data across <see cref="StopAsync"/> and <see cref="StartAsync()"/>.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    public const string InstallCommand = "npm ci --prefix tools/azurite";

    // The well-known development account key Azurite accepts; it protects nothing.
    private const string DevAccount = "devstoreaccount1";
    private const string DevKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly string? _location;
    private readonly int _blobPort = FreePort();
    private readonly int _queuePort = FreePort();
    private readonly int _tablePort = FreePort();
    private Process? _process;
    private int _listening;

    private AzuriteServer(string? location) => _location = location;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={DevAccount};AccountKey={DevKey};"
        + $"BlobEndpoint=http://127.0.0.1:{_blobPort}/{DevAccount};"
        + $"QueueEndpoint=http://127.0.0.1:{_queuePort}/{DevAccount};"
        + $"TableEndpoint=http://127.0.0.1:{_tablePort}/{DevAccount};";

    /// <param name="location">A folder to keep data in, or null for in-memory storage.</param>
    public static async Task<AzuriteServer> StartAsync(string? location = null)
    {
        var server = new AzuriteServer(location);
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        if (!File.Exists(RepoPaths.AzuriteScript))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed ({RepoPaths.AzuriteScript} is missing): run '{InstallCommand}' "
                + "in the repository root first");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in Arguments())
        {
            start.ArgumentList.Add(arg);
        }

        _listening = 0;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Watch(e.Data, output, ready);
        process.ErrorDataReceived += (_, e) => Watch(e.Data, output, ready);
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException(
            $"Azurite exited during start-up: {string.Join(" | ", output)}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        if (await Task.WhenAny(ready.Task, Task.Delay(StartTimeout)) != ready.Task)
        {
            await StopAsync();
            throw new TimeoutException($"Azurite did not start in {StartTimeout}: {string.Join(" | ", output)}");
        }

        await ready.Task;
    }

    /// <summary>Stops Azurite with SIGTERM, which lets it flush its data folder, and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        var process = Interlocked.Exchange(ref _process, null);
        if (process is null)
        {
            return;
        }

        using (process)
        {
            if (!process.HasExited)
            {
                if (!OperatingSystem.IsWindows())
                {
                    _ = Kill(process.Id, Sigterm);
                }

                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private IEnumerable<string> Arguments()
    {
        yield return RepoPaths.AzuriteScript;
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            yield return $"--{service}Host";
            yield return "127.0.0.1";
        }

        yield return "--blobPort";
        yield return _blobPort.ToString();
        yield return "--queuePort";
        yield return _queuePort.ToString();
        yield return "--tablePort";
        yield return _tablePort.ToString();
        yield return "--skipApiVersionCheck";
        yield return "--disableTelemetry";
        yield return "--silent";
        if (_location is null)
        {
            yield return "--inMemoryPersistence";
        }
        else
        {
            yield return "--location";
            yield return _location;
        }
    }

    private void Watch(string? line, System.Collections.Concurrent.ConcurrentQueue<string> output,
        TaskCompletionSource ready)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        // Blob, queue and table each say so once they accept connections.
        if (line.Contains("successfully listening", StringComparison.Ordinal)
            && Interlocked.Increment(ref _listening) == 3)
        {
            ready.TrySetResult();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
