import { JoinForm } from '../../_account/JoinForm';

export const dynamic = 'force-dynamic';

export default async function JoinPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <main className="auth-page">
      <div className="brand auth-brand">
        <span className="brand-mark" aria-hidden="true">
          ◆
        </span>
        Pipewright
      </div>
      <JoinForm token={token} />
    </main>
  );
}
