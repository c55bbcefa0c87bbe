import { useEffect, useState } from 'preact/hooks';
import type { RescuePlan, Wire } from '../../../src/server/api-types.js';
import { PasswordGuidance } from '../password-guidance.js';
import { api } from '../api.js';
import { Empty, ErrorState, Loading } from '../common.js';
import { formatBytes, formatDate } from '../items.js';

type Plan = Wire<RescuePlan>;

/** For people locked out of their phone: what the backups here hold, and Apple's ways back in. */
export function RescuePage() {
  const [plan, setPlan] = useState<Plan | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Plan>('/api/rescue-plan').then(setPlan, (e: Error) => setError(e.message));
  }, []);
  return (
    <section class="page rescue">
      <h1>Locked out of your iPhone?</h1>
      <p class="lead">
        A rescue plan: what the backups on this computer hold, what erasing the phone would lose,
        and Apple's ways back in.
      </p>
      {error && <ErrorState message={`Could not build the rescue plan: ${error}`} />}
      {!plan && !error && <Loading what="the rescue plan" />}
      {plan && (
        <>
          <div class="state">
            {plan.statements.map((s) => (
              <p>{s}</p>
            ))}
          </div>
          {plan.connected && (
            <p>
              <strong>Connected device:</strong>{' '}
              {plan.connected.deviceName ?? plan.connected.model ?? 'none'} — {plan.connected.state}
              . <span class="meta">{plan.connected.note}</span>
            </p>
          )}
          <h2>Backups of your devices here</h2>
          {plan.devices.length === 0 && (
            <Empty>No backups found (looked in {plan.searched.join(', ')}).</Empty>
          )}
          {plan.devices.map((d) => (
            <div class="state">
              <h3>
                {d.deviceName ?? 'Unknown device'}{' '}
                <span class="meta">{d.model ?? d.familyName}</span>
              </h3>
              <p>
                <strong>{d.erasingLoses}</strong>
              </p>
              <ul>
                {d.backups.map((b) => (
                  <li>
                    {formatDate(b.date) || 'unknown date'} · iOS {b.iosVersion ?? '?'} ·{' '}
                    {formatBytes(b.sizeOnDisk)} · {b.encrypted ? 'encrypted' : 'not encrypted'}
                    {b.finished === false && <span class="error-text"> · interrupted</span>}
                    {b.counts && (
                      <div class="meta">
                        {b.counts
                          .filter((c) => c.present > 0)
                          .map((c) => `${c.category}: ${c.present}`)
                          .join(' · ')}
                      </div>
                    )}
                    {b.countsNote && <div class="meta">{b.countsNote}</div>}
                    {b.passwordGuidance && (
                      <details class="password-guidance">
                        <summary>Lost this backup's password?</summary>
                        <PasswordGuidance guidance={b.passwordGuidance} />
                      </details>
                    )}
                  </li>
                ))}
              </ul>
              <details>
                <summary>Recovery mode on {d.familyName}</summary>
                <ol>
                  {d.recovery.enterRecovery.map((s) => (
                    <li>{s}</li>
                  ))}
                </ol>
                <ol>
                  {d.recovery.restore.map((s) => (
                    <li>{s}</li>
                  ))}
                </ol>
              </details>
            </div>
          ))}
          <h2>Ways back in</h2>
          <ol class="options">
            {plan.options.map((o) => (
              <li>
                <strong>{o.title}</strong>{' '}
                {o.keepsData ? (
                  <span class="badge">keeps your data</span>
                ) : (
                  <span class="badge deleted">erases the phone</span>
                )}
                <p class="meta">Needs: {o.needs}</p>
                <ol>
                  {o.steps.map((s) => (
                    <li>{s}</li>
                  ))}
                </ol>
              </li>
            ))}
          </ol>
          {plan.beforeErasing.length > 0 && (
            <>
              <h2>Before erasing</h2>
              <ul>
                {plan.beforeErasing.map((s) => (
                  <li>{s}</li>
                ))}
              </ul>
            </>
          )}
          {plan.problems.length > 0 && <ErrorState message={plan.problems.join(' ')} />}
        </>
      )}
      <p>
        <a href="#/">Back to the backups</a>
      </p>
    </section>
  );
}
