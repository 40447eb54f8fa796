/** Mission Control: bounce and complaint rates per purpose (server-rendered, no script needed). */
export function DeliverabilityRates({
  rates,
  days,
}: {
  rates: {
    purposeName: string;
    sent: number;
    hardBounces: number;
    softBounces: number;
    complaints: number;
    bounceRate: number | null;
    complaintRate: number | null;
  }[];
  days: number;
}) {
  const percent = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)} %`);
  return (
    <section
      className="card"
      aria-labelledby="deliverability-heading"
      data-testid="deliverability-rates"
      style={{ marginTop: '1.5rem' }}
    >
      <h2 id="deliverability-heading" style={{ marginTop: 0 }}>
        Bounces and complaints
      </h2>
      <p className="muted">
        Per purpose, over the last {days} days. A hard bounce or a complaint blocks the address at once; a
        complaint also withdraws the consent the mail was sent for.
      </p>
      {rates.length === 0 ? (
        <p>No mail sent and no bounce or complaint in this period.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Purpose</th>
                <th scope="col">Sent</th>
                <th scope="col">Hard bounces</th>
                <th scope="col">Soft bounces</th>
                <th scope="col">Bounce rate</th>
                <th scope="col">Complaints</th>
                <th scope="col">Complaint rate</th>
              </tr>
            </thead>
            <tbody>
              {rates.map((rate) => (
                <tr key={rate.purposeName}>
                  <th scope="row">{rate.purposeName}</th>
                  <td>{rate.sent}</td>
                  <td>{rate.hardBounces}</td>
                  <td>{rate.softBounces}</td>
                  <td>{percent(rate.bounceRate)}</td>
                  <td>{rate.complaints}</td>
                  <td>{percent(rate.complaintRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
