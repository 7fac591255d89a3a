using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Billing.Push;

/// <summary>
/// A company's billing details (<c>GET/PUT /companies/{id}/billing-details</c>): address, email, phone and tax ids, as
/// the checkout collects them (kind <c>company_billing_details</c>, id <c>cbd_</c> + the company's, parent the company). Tollgate has no custom checkout
/// fields, so <c>custom_fields</c> is empty and a value for one is refused; the checkout collects nothing extra
/// (<c>checkout_settings</c> all false).
/// </summary>
internal sealed class CompanyBillingDetailsService(ResourceStore store, BillingDocuments documents, TimeProvider time)
{
    private static readonly string[] TaxIdTypes =
    [
        "ae_trn", "au_abn", "au_arn", "br_cnpj", "br_cpf", "ca_bn", "ca_gst_hst", "ca_pst_bc", "ca_pst_mb", "ca_pst_sk", "ca_qst", "ch_uid", "ch_vat", "eu_vat",
        "gb_vat", "hk_br", "id_npwp", "il_vat", "in_gst", "jp_cn", "jp_rn", "jp_trn", "kr_brn", "mx_rfc", "my_frp", "my_itn", "my_sst", "no_vat", "nz_gst",
        "ph_tin", "sa_vat", "sg_gst", "sg_uen", "th_vat", "tr_tin", "tw_vat", "us_ein", "za_vat",
    ];

    public async Task<CompanyBillingDetailsResponse> GetAsync(string environmentId, string companyId, CancellationToken cancellationToken)
    {
        await RequireCompanyAsync(environmentId, companyId, cancellationToken).ConfigureAwait(false);
        return Describe(await store.GetAsync<CompanyBillingDetailsRecord>(environmentId, ResourceKinds.CompanyBillingDetails, IdOf(companyId), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Sets the fields given (an absent field keeps its value; a tax id replaces the one held).</summary>
    public async Task<CompanyBillingDetailsResponse> UpdateAsync(RequestScope scope, string companyId, UpdateCompanyBillingDetailsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await RequireCompanyAsync(scope.EnvironmentId, companyId, cancellationToken).ConfigureAwait(false);
        var values = request.Values ?? throw new RequestException(StatusCodes.Status400BadRequest, "values: is required (an empty list when there are no custom fields)");
        if (values.Count > 0)
        {
            Errors.BadRequest("values[0].id", "no checkout field has this id (Tollgate has no custom checkout fields)");
        }

        var address = request.Address is { } given ? Address(given) : null;
        TaxIdRecord? taxId = null;
        if (request.TaxId is { } tax)
        {
            var type = Validate.OneOf(tax.Type, "tax_id.type", [.. TaxIdTypes.Select(t => (t, t))]);
            taxId = new TaxIdRecord(Ids.New("txi"), type, Validate.Required(tax.Value, "tax_id.value"), type[..2].ToUpperInvariant());
        }

        var before = await store.GetAsync<CompanyBillingDetailsRecord>(scope.EnvironmentId, ResourceKinds.CompanyBillingDetails, IdOf(companyId), cancellationToken).ConfigureAwait(false);
        var after = new CompanyBillingDetailsRecord
        {
            CompanyId = companyId,
            Address = address ?? before?.Address,
            Email = Validate.Bounded(request.Email, "email") ?? before?.Email,
            Phone = Validate.Bounded(request.Phone, "phone") ?? before?.Phone,
            TaxIds = taxId is null ? before?.TaxIds ?? [] : [taxId],
            UpdatedAt = time.GetUtcNow(),
        };
        await documents.SaveAsync(scope, ResourceKinds.CompanyBillingDetails, IdOf(companyId), null, companyId, companyId, before, after, cancellationToken).ConfigureAwait(false);
        return Describe(after);
    }

    /// <summary>The document's id: ids are unique across kinds, so not the company's own.</summary>
    private static string IdOf(string companyId) => "cbd_" + companyId;

    private static BillingAddressRecord Address(BillingAddressRequest given) => new(
        Validate.Bounded(given.City, "address.city") ?? "",
        Validate.Required(given.Country, "address.country"),
        Validate.Required(given.Line1, "address.line1"),
        Validate.Bounded(given.Line2, "address.line2") ?? "",
        Validate.Bounded(given.PostalCode, "address.postal_code") ?? "",
        Validate.Bounded(given.State, "address.state") ?? "");

    private async Task RequireCompanyAsync(string environmentId, string companyId, CancellationToken cancellationToken)
    {
        if (await store.GetAsync<CompanyRecord>(environmentId, ResourceKinds.Company, companyId, cancellationToken).ConfigureAwait(false) is null)
        {
            Errors.NotFound("company");
        }
    }

    private static CompanyBillingDetailsResponse Describe(CompanyBillingDetailsRecord? record) => new(
        record?.Address,
        new CheckoutSettingsResponse(false, false, false, false),
        [],
        record?.Email,
        record?.Phone,
        [.. (record?.TaxIds ?? []).Select(t => new TaxIdResponse(t.Id, t.Type, t.Value, t.Country, null))]);
}
