using System.Net;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Logging;

namespace Ccs.Functions.Api;

/// <summary>The HTTP API; each function only maps between HTTP and the plain classes that do the work.</summary>
public sealed class CaseApi(CaseQueries queries, ArchiveUploads uploads, HealthProbe health, ILogger<CaseApi> log)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    [Function("GetCase")]
    public async Task<HttpResponseData> GetCase(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "cases/{caseId}")] HttpRequestData request,
        string caseId) =>
        await Found(request, await queries.FindCaseAsync(caseId, request.FunctionContext.CancellationToken),
            $"no case '{caseId}'");

    [Function("GetCaseInArchive")]
    public async Task<HttpResponseData> GetCaseInArchive(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "cases/{caseId}/archives/{archiveId}")]
        HttpRequestData request,
        string caseId,
        string archiveId) =>
        await Found(request,
            await queries.FindCaseInArchiveAsync(caseId, archiveId, request.FunctionContext.CancellationToken),
            $"no case '{caseId}' in archive '{archiveId}'");

    [Function("GetGradCam")]
    public async Task<HttpResponseData> GetGradCam(
        [HttpTrigger(AuthorizationLevel.Function, "get",
            Route = "cases/{caseId}/archives/{archiveId}/gradcam/{backbone}")]
        HttpRequestData request,
        string caseId,
        string archiveId,
        string backbone)
    {
        var png = await queries.FindGradCamAsync(caseId, archiveId, backbone,
            request.FunctionContext.CancellationToken);
        if (png is null)
        {
            return await Problem(request, HttpStatusCode.NotFound,
                $"no Grad-CAM '{backbone}' for case '{caseId}' in archive '{archiveId}'");
        }

        var response = request.CreateResponse(HttpStatusCode.OK);
        response.Headers.Add("Content-Type", "image/png");
        await response.Body.WriteAsync(png, request.FunctionContext.CancellationToken);
        return response;
    }

    [Function("GetArchive")]
    public async Task<HttpResponseData> GetArchive(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "archives/{archiveId}")] HttpRequestData request,
        string archiveId) =>
        await Found(request, await queries.FindArchiveAsync(archiveId, request.FunctionContext.CancellationToken),
            $"no archive '{archiveId}'");

    [Function("UploadCase")]
    public async Task<HttpResponseData> UploadCase(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "cases")] HttpRequestData request)
    {
        UploadReceipt receipt;
        try
        {
            receipt = await uploads.UploadAsync(request.Body, request.Query["name"],
                request.FunctionContext.CancellationToken);
        }
        catch (UploadTooLargeException e)
        {
            return await Problem(request, HttpStatusCode.RequestEntityTooLarge, e.Message);
        }

        log.LogInformation("Archive {ArchiveId} uploaded over HTTP as {Blob}", receipt.ArchiveId, receipt.Archive);
        var response = await JsonResponse(request, HttpStatusCode.Accepted, receipt);
        response.Headers.Add("Location", receipt.Status);
        return response;
    }

    [Function("Health")]
    public async Task<HttpResponseData> Health(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "health")] HttpRequestData request)
    {
        var report = await health.CheckAsync(request.FunctionContext.CancellationToken);
        return await JsonResponse(request, report.Healthy ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable,
            report);
    }

    private static async Task<HttpResponseData> JsonResponse<T>(HttpRequestData request, HttpStatusCode status, T body)
    {
        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body, Json));
        return response;
    }

    private static Task<HttpResponseData> Found<T>(HttpRequestData request, T? body, string missing)
        where T : class =>
        body is null
            ? Problem(request, HttpStatusCode.NotFound, missing)
            : JsonResponse(request, HttpStatusCode.OK, body);

    private static Task<HttpResponseData> Problem(HttpRequestData request, HttpStatusCode status, string message) =>
        JsonResponse(request, status, new { error = message });
}
