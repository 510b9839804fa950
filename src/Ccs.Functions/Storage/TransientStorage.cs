using Azure;
using Microsoft.DurableTask;

namespace Ccs.Functions.Storage;

/// <summary>
/// A storage call that failed for a reason that may pass (storage unreachable, throttled, a 5xx), after the Azure SDK's
/// own retries. Activities rethrow such failures as this type so the orchestrator's retry policy can tell them apart
/// from failures that would fail again (a missing blob, a bug).
/// </summary>
public sealed class TransientStorageException(string message, Exception inner) : Exception(message, inner);

public static class TransientStorage
{
    private static readonly string TransientType = typeof(TransientStorageException).FullName!;

    public static bool IsTransient(Exception e) => e switch
    {
        TransientStorageException => true,
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsTransient),
        HttpRequestException or IOException or TimeoutException or System.Net.Sockets.SocketException => true,
        TaskCanceledException t => t.InnerException is TimeoutException,
        _ => false,
    };

    /// <summary>Runs a storage step; a transient failure becomes <see cref="TransientStorageException"/>.</summary>
    public static async Task<T> Guard<T>(string step, Func<Task<T>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (e is not TransientStorageException && IsTransient(e))
        {
            throw new TransientStorageException($"{step}: storage is unavailable ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>
    /// The retry policy's filter. The Functions host may wrap an activity's exception, so the whole chain of failure
    /// details is searched for the marker type.
    /// </summary>
    public static bool IsTransient(TaskFailureDetails? failure)
    {
        for (var f = failure; f is not null; f = f.InnerFailure)
        {
            if (f.ErrorType == TransientType || f.IsCausedBy<TransientStorageException>())
            {
                return true;
            }
        }

        return false;
    }
}
